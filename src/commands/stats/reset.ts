import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../base-command.js'
import {confirm} from '../../output/confirm.js'
import {note} from '../../output/messages.js'
import {connectionFlags, mutationFlags, outputFlags} from '../../shared-flags.js'
import {describeScope, resetStatements} from '../../stats/reset.js'

export default class StatsReset extends BaseCommand {
  static override summary = 'Reset pg_stat_statements counters (all, or one database, role or statement); audited.'
  static override description =
    'Asks for confirmation on a terminal (--yes otherwise). Writes an admin.stats.reset event to security_events.'
  static override examples = [
    '<%= config.bin %> stats reset --db app --yes',
    '<%= config.bin %> stats reset --queryid 4711234567 --dry-run',
  ]
  static override flags = {
    ...connectionFlags,
    ...outputFlags,
    ...mutationFlags,
    db: Flags.string({summary: "Only this database's statements."}),
    user: Flags.string({summary: "Only this role's statements."}),
    queryid: Flags.string({summary: 'Only this statement.'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(StatsReset)
    const scope = {db: flags.db, user: flags.user, queryid: flags.queryid}
    const session = await this.connect(flags)
    if (
      !(await confirm(`reset pg_stat_statements counters of ${describeScope(scope)}`, {
        yes: flags.yes,
        dryRun: flags['dry-run'],
      }))
    ) {
      note('nothing reset')
      return
    }
    const result = await resetStatements(session, scope, {dryRun: flags['dry-run'], actor: flags.actor})
    await this.output([result], flags, {columns: ['scope', 'reset', 'audit_id', 'at']})
  }
}
