import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../base-command.js'
import {boundedInteger, connectionFlags, outputFlags, replicaFlags} from '../../shared-flags.js'
import {TENANT_SORTS, tenantSizes} from '../../stats/diagnostics.js'
import {TENANT_LOAD_COLUMNS, tenantLoad} from '../../stats/tenant-load.js'
import {loadSource, tenantLoadFlags} from '../../stats/tenant-load-flags.js'
import {parseSince} from '../../util/time.js'

export default class StatsTenants extends BaseCommand {
  static override summary =
    'Per organization: messages (rows, bytes), files (count, bytes), projects and members; --load: its share of calls and time.'
  static override description = `message_bytes is the sum of pg_column_size of the rows, content_bytes the sum of octet_length(content),
file_bytes the sum of files.file_size; total_bytes = message_bytes + file_bytes. recent_messages counts those since --recent.
--load ranks organizations by their share of calls and time over a window instead, from the server log's timed statements
and bound parameters (--log, with log_min_duration_statement = 0) or from samples of pg_stat_activity (--sample); a statement
belongs to the organization whose id or slug is its application_name tag (org=<slug>), a parameter, or a literal (docs/stats.md).`
  static override examples = [
    '<%= config.bin %> stats tenants',
    '<%= config.bin %> stats tenants --sort files -n 10 --recent 7d',
    '<%= config.bin %> stats tenants --load --log /var/lib/postgresql/15/main/log/postgresql.csv --since 1h',
    '<%= config.bin %> stats tenants --load --sample 30s',
  ]
  static override flags = {
    ...connectionFlags,
    ...replicaFlags,
    ...outputFlags,
    sort: Flags.option({options: TENANT_SORTS, default: 'total' as const, summary: 'Largest first by this.'})(),
    recent: Flags.string({default: '30d', summary: 'Window for recent_messages (7d, 30d, or an ISO date).'}),
    limit: boundedInteger({char: 'n', min: 1, max: 1_000_000, summary: 'How many organizations (default: all).'}),
    ...tenantLoadFlags,
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(StatsTenants)
    const recentSince = parseSince(flags.recent, '--recent')
    const source = loadSource(flags)
    const session = await this.connectForReads(flags)
    if (source) {
      await this.output((await tenantLoad(session, source)).slice(0, flags.limit), flags, {
        columns: TENANT_LOAD_COLUMNS,
        priority: ['slug', 'calls_pct', 'time_pct', 'calls', 'time_ms'],
      })
      return
    }
    const rows = await tenantSizes(session, {sort: flags.sort, recentSince, limit: flags.limit})
    await this.output(rows, flags, {
      columns: [
        'organization_id',
        'slug',
        'name',
        'message_rows',
        'message_bytes',
        'content_bytes',
        'recent_messages',
        'file_count',
        'file_bytes',
        'project_count',
        'member_count',
        'total_bytes',
      ],
      priority: ['slug', 'total_bytes', 'message_rows', 'file_count', 'name', 'recent_messages'],
    })
  }
}
