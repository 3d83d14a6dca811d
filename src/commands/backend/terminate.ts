import {signalSummary} from '../../activity/backend.js'
import {pidArg, selectionFlags, SIGNAL_COLUMNS, SIGNAL_PRIORITY, signalFromCli} from '../../activity/signal-command.js'
import {withNodeColumn} from '../../activity/node-columns.js'
import {BaseCommand} from '../../base-command.js'
import {note} from '../../output/messages.js'
import {connectionFlags, mutationFlags, outputFlags} from '../../shared-flags.js'

export default class BackendTerminate extends BaseCommand {
  static override summary =
    'Terminate a server process, or every session the filters match (pg_terminate_backend): their transactions roll back; audited.'
  static override description = `Filters combine (all must match), with or without a pid. The sessions are listed with their count and
how many sessions each one blocks (blocking: directly, blocking_total: through the lock tree); it asks on a terminal and
needs --yes otherwise; --dry-run only shows them. One statement terminates them all and one admin.backend.terminated row
per backend goes to security_events. Never fluxadmin's own session; a superuser's only when named by pid.`
  static override examples = [
    '<%= config.bin %> backend terminate 12345',
    '<%= config.bin %> backend terminate 12345 --dry-run',
    '<%= config.bin %> backend terminate --user app --state idle-in-transaction --idle-for 5m --yes',
    '<%= config.bin %> backend terminate --application report-worker --state idle --dry-run',
  ]
  static override args = pidArg
  static override flags = {...connectionFlags, ...outputFlags, ...mutationFlags, ...selectionFlags}

  async run(): Promise<void> {
    const {args, flags} = await this.parse(BackendTerminate)
    const session = await this.connect(flags)
    const results = await signalFromCli(session, 'terminate', args.pid, flags)
    await this.output(results, flags, {columns: withNodeColumn(SIGNAL_COLUMNS, results), priority: SIGNAL_PRIORITY})
    note(signalSummary(results))
  }
}
