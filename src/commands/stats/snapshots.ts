import {BaseCommand} from '../../base-command.js'
import {boundedInteger, connectionFlags, outputFlags} from '../../shared-flags.js'
import {listSnapshots} from '../../stats/snapshots.js'

export default class StatsSnapshots extends BaseCommand {
  static override summary =
    'List the stored snapshots (newest first): their times are what --since and --between pick from.'
  static override description = `plans: statements whose generic plan shape was stored; tables: tables whose write counters were stored;
stats_reset, postmaster_start and dealloc show a reset, a restart or evictions between two snapshots.`
  static override examples = [
    '<%= config.bin %> stats snapshots',
    '<%= config.bin %> stats snapshots -n 5 --format json',
  ]
  static override flags = {
    ...connectionFlags,
    ...outputFlags,
    limit: boundedInteger({char: 'n', min: 1, max: 1_000_000, summary: 'How many snapshots (default: all).'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(StatsSnapshots)
    const session = await this.connect(flags)
    await this.output(await listSnapshots(session, flags.limit), flags, {
      columns: [
        'snapshot_id',
        'taken_at',
        'statements',
        'plans',
        'tables',
        'stats_reset',
        'postmaster_start',
        'dealloc',
        'database_bytes',
      ],
    })
  }
}
