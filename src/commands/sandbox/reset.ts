import {BaseCommand} from '../../base-command.js'
import {note} from '../../output/messages.js'
import {resetSandbox, startSandbox} from '../../sandbox/sandbox.js'
import {sizeFlag} from './start.js'

export default class SandboxReset extends BaseCommand {
  static override summary = 'Delete the sandbox and build it anew: initdb, migrate, seed, start.'
  static override examples = ['<%= config.bin %> sandbox reset', '<%= config.bin %> sandbox reset --size medium']
  static override flags = {size: sizeFlag}

  async run(): Promise<void> {
    const {flags} = await this.parse(SandboxReset)
    await resetSandbox()
    const {state} = await startSandbox({size: flags.size, onStep: note})
    note(`sandbox rebuilt, running on 127.0.0.1:${state.port}`)
  }
}
