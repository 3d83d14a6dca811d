import {BaseCommand} from '../../base-command.js'
import {note} from '../../output/messages.js'
import {resetSandbox, startSandbox} from '../../sandbox/sandbox.js'
import {citusFlag, sizeFlag} from './start.js'

export default class SandboxReset extends BaseCommand {
  static override summary = 'Delete the sandbox and build it anew: initdb, migrate, seed, start.'
  static override examples = [
    '<%= config.bin %> sandbox reset',
    '<%= config.bin %> sandbox reset --size medium',
    '<%= config.bin %> sandbox reset --citus',
  ]
  static override flags = {size: sizeFlag, citus: citusFlag}

  async run(): Promise<void> {
    const {flags} = await this.parse(SandboxReset)
    await resetSandbox()
    const {state} = await startSandbox({size: flags.size, citus: flags.citus, onStep: note})
    note(`sandbox rebuilt, running on 127.0.0.1:${state.port}`)
  }
}
