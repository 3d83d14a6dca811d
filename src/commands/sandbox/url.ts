import {BaseCommand} from '../../base-command.js'
import {sandboxUrl} from '../../sandbox/sandbox.js'

export default class SandboxUrl extends BaseCommand {
  static override summary = 'Print the sandbox connection URL (it contains the sandbox password).'
  static override examples = ['<%= config.bin %> sandbox url', 'psql "$(<%= config.bin %> sandbox url)"']

  async run(): Promise<void> {
    await this.parse(SandboxUrl)
    process.stdout.write(sandboxUrl() + '\n')
  }
}
