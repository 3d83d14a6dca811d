import {ExitCode} from '../errors.js'
import {printError} from '../output/messages.js'

/**
 * oclif's `command_not_found` hook: an unknown command is a usage error in fluxadmin's one line and
 * hint (printError shows control characters as stand-ins; oclif's own message echoed them raw).
 */
export async function commandNotFound({id, argv}: {id: string; argv?: string[]}): Promise<void> {
  printError(
    {
      code: 'usage',
      message: `command ${id.split(':').join(' ')} not found`,
      hint: 'see `fluxadmin --help` for the commands',
      exit: ExitCode.usage,
    },
    {json: Boolean(argv?.includes('--json'))},
  )
  process.exitCode = ExitCode.usage
}
