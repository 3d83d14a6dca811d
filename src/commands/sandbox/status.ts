import {BaseCommand} from '../../base-command.js'
import {sandboxStatus} from '../../sandbox/sandbox.js'
import {outputFlags} from '../../shared-flags.js'

export default class SandboxStatus extends BaseCommand {
  static override summary =
    'Whether the sandbox exists and runs, where, and on which port. Exits 1 when it is not running.'
  static override examples = ['<%= config.bin %> sandbox status', '<%= config.bin %> sandbox status --json']
  static override flags = {...outputFlags}

  async run(): Promise<void> {
    const {flags} = await this.parse(SandboxStatus)
    const status = sandboxStatus()
    await this.output([status], flags)
    if (!status.running) process.exitCode = 1
  }
}
