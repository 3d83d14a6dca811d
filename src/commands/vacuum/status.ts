import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../base-command.js'
import {VACUUM_SORTS, vacuumStatus} from '../../health/vacuum.js'
import {connectionFlags, outputFlags} from '../../shared-flags.js'

export default class VacuumStatus extends BaseCommand {
  static override summary =
    'Per table: live and dead tuples, last (auto)vacuum and (auto)analyze, and whether autovacuum is due now.'
  static override description = `Due is computed from each table's effective thresholds: the server's autovacuum settings overridden by the table's reloptions (autovacuum_vacuum_threshold, ..._scale_factor, ..._insert_threshold, autovacuum_enabled).
A table past its threshold with autovacuum disabled is not due, and says so in due_reason.
On a Citus coordinator each distributed or reference table is its shards on every node rolled up (shards: how many placements): tuples, counts and thresholds summed, the oldest (auto)vacuum and (auto)analyze, the highest xid age, due when a shard is.`
  static override examples = [
    '<%= config.bin %> vacuum status --sort dead',
    '<%= config.bin %> vacuum status --sort last-vacuum --table messages --format json',
  ]
  static override flags = {
    ...connectionFlags,
    ...outputFlags,
    sort: Flags.option({
      options: VACUUM_SORTS,
      default: 'name' as const,
      summary: 'dead: most dead tuples first; last-vacuum: longest unvacuumed first; name.',
    })(),
    table: Flags.string({summary: 'Only tables whose schema.name contains this text.'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(VacuumStatus)
    const session = await this.connect(flags)
    const rows = await vacuumStatus(session, {sort: flags.sort, table: flags.table})
    // On a Citus coordinator: how many shard placements each table's row rolls up.
    const shards = rows.some((r) => r.shards !== undefined) ? ['shards'] : []
    await this.output(rows, flags, {
      columns: [
        'table_name',
        ...shards,
        'live_tuples',
        'dead_tuples',
        'dead_ratio',
        'last_vacuum',
        'last_autovacuum',
        'last_analyze',
        'last_autoanalyze',
        'vacuum_count',
        'autovacuum_count',
        'analyze_count',
        'autoanalyze_count',
        'autovacuum_enabled',
        'vacuum_threshold',
        'insert_threshold',
        'analyze_threshold',
        'xid_age',
        'freeze_max_age',
        'vacuum_due',
        'analyze_due',
        'due_reason',
      ],
      priority: [
        'table_name',
        'dead_tuples',
        'dead_ratio',
        'last_autovacuum',
        'vacuum_due',
        'due_reason',
        'live_tuples',
        'last_autoanalyze',
      ],
    })
  }
}
