import {pidArg, SIGNAL_COLUMNS, signalFromCli} from '../../activity/signal-command.js'
import {BaseCommand} from '../../base-command.js'
import {connectionFlags, mutationFlags, outputFlags} from '../../shared-flags.js'

export default class BackendCancel extends BaseCommand {
  static override summary = 'Cancel the running query of a server process (pg_cancel_backend), audited.'
  static override description = 'Asks for confirmation on a terminal; --yes is required otherwise. Refuses fluxadmin\'s own session. Writes an admin.backend.cancelled row to security_events.'
  static override examples = ['<%= config.bin %> backend cancel 12345', '<%= config.bin %> backend cancel 12345 --yes --actor oncall@fluxstudio.io']
  static override args = pidArg
  static override flags = {...connectionFlags, ...outputFlags, ...mutationFlags}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(BackendCancel)
    const session = await this.connect(flags)
    const result = await signalFromCli(session, 'cancel', args.pid, flags)
    await this.output([result], flags, {columns: SIGNAL_COLUMNS})
  }
}
