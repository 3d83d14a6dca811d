import {signalSummary} from '../../activity/backend.js'
import {pidArg, selectionFlags, SIGNAL_COLUMNS, SIGNAL_PRIORITY, signalFromCli} from '../../activity/signal-command.js'
import {withNodeColumn} from '../../activity/node-columns.js'
import {BaseCommand} from '../../base-command.js'
import {note} from '../../output/messages.js'
import {connectionFlags, mutationFlags, outputFlags} from '../../shared-flags.js'

export default class BackendCancel extends BaseCommand {
  static override summary =
    'Cancel the running query of a server process, or of every session the filters match (pg_cancel_backend), audited.'
  static override description = `Filters combine (all must match), with or without a pid. The sessions are listed with their count;
it asks on a terminal and needs --yes otherwise; --dry-run only shows them. One statement cancels them all and one
admin.backend.cancelled row per backend goes to security_events. Never fluxadmin's own session; a superuser's only when named by pid.`
  static override examples = [
    '<%= config.bin %> backend cancel 12345',
    '<%= config.bin %> backend cancel --user app --state active --idle-for 2m --dry-run',
    '<%= config.bin %> backend cancel 12345 --yes --actor oncall@fluxstudio.io',
  ]
  static override args = pidArg
  static override flags = {...connectionFlags, ...outputFlags, ...mutationFlags, ...selectionFlags}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(BackendCancel)
    const session = await this.connect(flags)
    const results = await signalFromCli(session, 'cancel', args.pid, flags)
    await this.output(results, flags, {columns: withNodeColumn(SIGNAL_COLUMNS, results), priority: SIGNAL_PRIORITY})
    note(signalSummary(results))
  }
}
