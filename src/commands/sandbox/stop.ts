import {BaseCommand} from '../../base-command.js'
import {note} from '../../output/messages.js'
import {stopSandbox} from '../../sandbox/sandbox.js'

export default class SandboxStop extends BaseCommand {
  static override summary = 'Stop the sandbox PostgreSQL (its data is kept).'
  static override examples = ['<%= config.bin %> sandbox stop']

  async run(): Promise<void> {
    await this.parse(SandboxStop)
    note((await stopSandbox()) ? 'sandbox stopped' : 'sandbox not running')
  }
}
