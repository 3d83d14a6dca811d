import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../base-command.js'
import {connectionFlags, mutationFlags, outputFlags} from '../../shared-flags.js'
import {takeSnapshot} from '../../stats/snapshots.js'
import {parseDuration} from '../../util/time.js'

export default class StatsSnapshot extends BaseCommand {
  static override summary = 'Store the current pg_stat_statements counters in fluxadmin.stat_snapshots (for cron).'
  static override description = `Run it every few minutes; \`stats top --since 1h\` and \`stats regressions\` then show what changed in the last hour.
Each snapshot also stores the table write counters and the generic plan shape of this database's top 50 statements (plans).`
  static override examples = [
    '<%= config.bin %> stats snapshot',
    '<%= config.bin %> stats snapshot --keep 7d',
    '*/5 * * * * FLUXADMIN_STATS_KEEP=7d <%= config.bin %> stats snapshot --format csv --no-header',
  ]
  static override flags = {
    ...connectionFlags,
    ...outputFlags,
    'dry-run': mutationFlags['dry-run'],
    keep: Flags.string({summary: 'Delete snapshots older than this (7d, 12h).', env: 'FLUXADMIN_STATS_KEEP'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(StatsSnapshot)
    const keepMs = flags.keep === undefined ? undefined : parseDuration(flags.keep, '--keep')
    const session = await this.connect(flags)
    const result = await takeSnapshot(session, {keepMs, dryRun: flags['dry-run']})
    await this.output([result], flags, {columns: ['snapshot_id', 'taken_at', 'statements', 'plans', 'pruned']})
  }
}
