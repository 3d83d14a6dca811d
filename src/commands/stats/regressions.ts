import {BaseCommand} from '../../base-command.js'
import {note} from '../../output/messages.js'
import {connectionFlags, outputFlags} from '../../shared-flags.js'
import {REGRESSION_COLUMNS, regressionFlags, regressionOptions} from '../../stats/regression-flags.js'
import {findRegressions} from '../../stats/regressions.js'

export default class StatsRegressions extends BaseCommand {
  static override summary =
    'Statements whose mean time per call rose --factor times or more since a snapshot, ranked by the time it cost.'
  static override description = `The window is a snapshot to now (--since) or two snapshots (--between); "before" is the interval between the
snapshot before the window's first one and it (or, with no older snapshot, since the counters' reset). extra_ms is
(mean_ms - mean_before_ms) x calls. plan_changed compares the generic plan shapes stored with the snapshots (or made now):
both plans are shown. pg_stat_statements is never reset; a reset, restart or eviction in the window is said on stderr.`
  static override examples = [
    '<%= config.bin %> stats regressions',
    '<%= config.bin %> stats regressions --since 30m --factor 3 --min-calls 100',
    '<%= config.bin %> stats regressions --between 2026-01-31T02:00:00Z 2026-01-31T03:00:00Z --format json',
  ]
  static override flags = {
    ...connectionFlags,
    ...outputFlags,
    ...regressionFlags,
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(StatsRegressions)
    const options = regressionOptions(flags)
    const session = await this.connect(flags)
    const result = await findRegressions(session, options)
    for (const line of result.notes) note(line)
    await this.output(result.rows, flags, {
      columns: REGRESSION_COLUMNS,
      priority: ['queryid', 'factor', 'extra_ms', 'mean_before_ms', 'mean_ms', 'calls', 'plan_changed', 'query'],
    })
  }
}
