import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../base-command.js'
import {note} from '../../output/messages.js'
import {boundedInteger, boundedNumber, connectionFlags, outputFlags} from '../../shared-flags.js'
import {parseBetween} from '../../stats/statement-flags.js'
import {DEFAULT_FACTOR, DEFAULT_MIN_CALLS, findRegressions} from '../../stats/regressions.js'
import {parseSince} from '../../util/time.js'

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
    since: Flags.string({
      summary: 'From the snapshot nearest this time (1h, 30m, or an ISO time) to now.',
      default: '1h',
      exclusive: ['between'],
    }),
    between: Flags.string({
      multiple: true,
      summary: 'Between the snapshots nearest two times: --between T1 T2.',
      exclusive: ['since'],
    }),
    factor: boundedNumber({
      min: 1.01,
      max: 1e9,
      default: DEFAULT_FACTOR,
      summary: 'Mean per call at least this many times the mean before.',
      env: 'FLUXADMIN_REGRESSION_FACTOR',
    }),
    'min-calls': boundedInteger({
      min: 1,
      max: 1e15,
      default: DEFAULT_MIN_CALLS,
      summary: 'Calls in the window at least.',
      env: 'FLUXADMIN_REGRESSION_MIN_CALLS',
    }),
    db: Flags.string({summary: 'Only statements of this database (name).'}),
    limit: boundedInteger({char: 'n', default: 20, min: 1, max: 100_000, summary: 'How many statements.'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(StatsRegressions)
    const window =
      flags.between === undefined ? {since: parseSince(flags.since, '--since')} : {between: parseBetween(flags.between)}
    const session = await this.connect(flags)
    const result = await findRegressions(session, {
      ...window,
      factor: flags.factor,
      minCalls: flags['min-calls'],
      db: flags.db,
      limit: flags.limit,
    })
    for (const line of result.notes) note(line)
    await this.output(result.rows, flags, {
      columns: [
        'queryid',
        'factor',
        'extra_ms',
        'calls_before',
        'calls',
        'mean_before_ms',
        'mean_ms',
        'rows_per_call_before',
        'rows_per_call',
        'blks_read_per_call_before',
        'blks_read_per_call',
        'status',
        'plan_changed',
        'plan_before',
        'plan_after',
        'db_name',
        'user_name',
        'query',
      ],
      priority: ['queryid', 'factor', 'extra_ms', 'mean_before_ms', 'mean_ms', 'calls', 'plan_changed', 'query'],
    })
  }
}
