import {pidArg, SIGNAL_COLUMNS, signalFromCli} from '../../activity/signal-command.js'
import {BaseCommand} from '../../base-command.js'
import {connectionFlags, mutationFlags, outputFlags} from '../../shared-flags.js'

export default class BackendTerminate extends BaseCommand {
  static override summary = 'Terminate a server process (pg_terminate_backend): its transaction rolls back; audited.'
  static override description = 'Asks for confirmation on a terminal; --yes is required otherwise. Refuses fluxadmin\'s own session. Writes an admin.backend.terminated row to security_events.'
  static override examples = ['<%= config.bin %> backend terminate 12345', '<%= config.bin %> backend terminate 12345 --yes --dry-run']
  static override args = pidArg
  static override flags = {...connectionFlags, ...outputFlags, ...mutationFlags}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(BackendTerminate)
    const session = await this.connect(flags)
    const result = await signalFromCli(session, 'terminate', args.pid, flags)
    await this.output([result], flags, {columns: SIGNAL_COLUMNS})
  }
}
