import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../base-command.js'
import {boundedInteger, connectionFlags, outputFlags, replicaFlags} from '../../shared-flags.js'
import {TENANT_SORTS, tenantSizes} from '../../stats/diagnostics.js'
import {parseSince} from '../../util/time.js'

export default class StatsTenants extends BaseCommand {
  static override summary = 'Per organization: messages (rows, bytes), files (count, bytes), projects and members.'
  static override description = `message_bytes is the sum of pg_column_size of the rows, content_bytes the sum of octet_length(content),
file_bytes the sum of files.file_size; total_bytes = message_bytes + file_bytes. recent_messages counts those since --recent.`
  static override examples = ['<%= config.bin %> stats tenants', '<%= config.bin %> stats tenants --sort files -n 10 --recent 7d']
  static override flags = {
    ...connectionFlags, ...replicaFlags, ...outputFlags,
    sort: Flags.option({options: TENANT_SORTS, default: 'total' as const, summary: 'Largest first by this.'})(),
    recent: Flags.string({default: '30d', summary: 'Window for recent_messages (7d, 30d, or an ISO date).'}),
    limit: boundedInteger({char: 'n', min: 1, max: 1_000_000, summary: 'How many organizations (default: all).'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(StatsTenants)
    const recentSince = parseSince(flags.recent, '--recent')
    const session = await this.connectForReads(flags)
    const rows = await tenantSizes(session, {sort: flags.sort, recentSince, limit: flags.limit})
    await this.output(rows, flags, {
      columns: ['organization_id', 'slug', 'name', 'message_rows', 'message_bytes', 'content_bytes', 'recent_messages',
        'file_count', 'file_bytes', 'project_count', 'member_count', 'total_bytes'],
      priority: ['slug', 'total_bytes', 'message_rows', 'file_count', 'name', 'recent_messages'],
    })
  }
}
