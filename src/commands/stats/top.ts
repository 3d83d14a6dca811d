import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../base-command.js'
import {note} from '../../output/messages.js'
import {boundedInteger, connectionFlags, outputFlags} from '../../shared-flags.js'
import {statementColumns} from '../../stats/columns.js'
import {DELTA_SORT_KEYS, statementsDelta, windowNotes, type DeltaSortKey} from '../../stats/snapshots.js'
import {parseBetween, statementFlags, statementFilters} from '../../stats/statement-flags.js'
import {assertLiveSort, topStatements} from '../../stats/statements.js'
import {parseSince} from '../../util/time.js'

export default class StatsTop extends BaseCommand {
  static override summary =
    'The statements that cost the most, from pg_stat_statements; or what changed since a snapshot.'
  static override description = `Sort keys: total (time), mean, calls, rows, io (shared blocks read + written), temp (temp blocks), stddev; with a window also change (mean_change_pct).
With --since or --between, figures are the difference between snapshots (\`stats snapshot\`) or a snapshot and now:
status "new" for statements not in the older snapshot, mean_before_ms (the mean between the snapshot before and the first one)
and mean_change_pct show a worse mean time,
and a reset of the counters in between is reported instead of negative numbers.`
  static override examples = [
    '<%= config.bin %> stats top --sort mean --limit 10',
    '<%= config.bin %> stats top --db app --min-calls 100 --query "FROM messages"',
    '<%= config.bin %> stats top --since 1h',
    '<%= config.bin %> stats top --between 2026-01-31T02:00:00Z 2026-01-31T03:00:00Z --format json',
  ]
  static override flags = {
    ...connectionFlags,
    ...outputFlags,
    ...statementFlags,
    sort: Flags.option({
      options: DELTA_SORT_KEYS,
      default: 'total' as DeltaSortKey,
      summary: 'Sort key, largest first (change: mean_change_pct, with --since or --between).',
      env: 'FLUXADMIN_STATS_SORT',
    })(),
    limit: boundedInteger({char: 'n', default: 20, min: 1, max: 100_000, summary: 'How many statements.'}),
    full: Flags.boolean({
      summary: 'Same as --wide: every column, the whole query text (csv and json always have them).',
    }),
    since: Flags.string({
      summary: 'Difference from the snapshot nearest this time (1h, 30m, or an ISO time) to now.',
      exclusive: ['between'],
    }),
    between: Flags.string({
      multiple: true,
      summary: 'Difference between the snapshots nearest two times: --between T1 T2.',
      exclusive: ['since'],
    }),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(StatsTop)
    const session = await this.connect(flags)
    const options = {...statementFilters(flags), sort: flags.sort, limit: flags.limit}
    const wide = flags.wide || flags.full
    const table = {table: this.outputFormat(flags) === 'table', wide, expanded: flags.expanded === true}
    if (flags.since === undefined && flags.between === undefined) {
      const rows = await topStatements(session, {...options, sort: assertLiveSort(options.sort)})
      await this.output(rows, {...flags, wide}, statementColumns({...table, delta: false}))
      return
    }
    const between = flags.between === undefined ? undefined : parseBetween(flags.between)
    const delta = await statementsDelta(session, {
      ...options,
      since: flags.since === undefined ? undefined : parseSince(flags.since, '--since'),
      between,
    })
    for (const line of windowNotes(delta)) note(line)
    await this.output(delta.rows, {...flags, wide}, statementColumns({...table, delta: true}))
  }
}
