import {BaseCommand} from '../../base-command.js'
import {NODE_COLUMNS, clusterStatus} from '../../citus/cluster-status.js'
import {MonitorCode} from '../../errors.js'
import {humanBytes} from '../../output/human.js'
import {note, warn} from '../../output/messages.js'
import {connectionFlags, outputFlags} from '../../shared-flags.js'

export default class ClusterStatus extends BaseCommand {
  static override summary =
    'The Citus cluster: each node (role, reachable, version, shards, bytes), the co-location groups and the balance of the workers.'
  static override description = `Each node reports its own version and the bytes of the shards it holds; a node the coordinator cannot reach within 5 s is named and the command exits 2 (CRITICAL, as health check). The balance is the spread of the distributed shards' bytes over the workers that hold shards: (max - min) / mean.
On plain PostgreSQL or a coordinator without workers: exit 2.`
  static override examples = ['<%= config.bin %> cluster status', '<%= config.bin %> cluster status --format json']
  static override flags = {...connectionFlags, ...outputFlags}

  async run(): Promise<void> {
    const {flags} = await this.parse(ClusterStatus)
    const session = await this.connect(flags)
    const status = await clusterStatus(session)
    if (this.outputFormat(flags) === 'json') await this.outputDocument(status, flags)
    else
      await this.output(status.nodes, flags, {
        columns: NODE_COLUMNS,
        priority: ['node', 'role', 'reachable', 'shards', 'bytes'],
      })
    for (const g of status.colocation_groups)
      note(
        `co-location group ${g.colocation_id} (${g.kind}): ${g.shard_count} shards on ${g.nodes} nodes: ${g.tables.join(', ')}`,
      )
    const b = status.balance
    if (b.spread_pct !== null)
      note(
        `balance: spread ${b.spread_pct}% over ${b.workers} workers (distributed shards: ${humanBytes(b.min_bytes!)} to ${humanBytes(b.max_bytes!)} per worker)`,
      )
    if (status.unreachable.length > 0) {
      warn(`unreachable: ${status.unreachable.join(', ')}`)
      process.exitCode = MonitorCode.critical
    }
  }
}
