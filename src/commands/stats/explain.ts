import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../base-command.js'
import {note} from '../../output/messages.js'
import {connectionFlags, outputFlags} from '../../shared-flags.js'
import {EXPLAIN_COLUMNS} from '../../stats/columns.js'
import {explainStatement} from '../../stats/explain.js'

export default class StatsExplain extends BaseCommand {
  static override summary = 'Show a statement\'s normalized text and, given its parameters, its plan (EXPLAIN, read-only).'
  static override description = `EXPLAIN runs in a READ ONLY transaction. --analyze executes the statement (EXPLAIN ANALYZE, BUFFERS),
in a transaction that is always rolled back, and only a plain read: a SELECT that writes nothing, locks no rows and
calls no volatile function (pg_terminate_backend, nextval, ...; random and clock_timestamp are fine); others exit 2. A statement without $n parameters is explained without --params.`
  static override examples = [
    '<%= config.bin %> stats explain 4711234567',
    '<%= config.bin %> stats explain 4711234567 --params acme-studio,10',
    '<%= config.bin %> stats explain 4711234567 --params acme-studio,10 --analyze',
  ]
  static override args = {queryid: Args.string({required: true, description: 'The queryid, as `stats top` shows it.'})}
  static override flags = {
    ...connectionFlags, ...outputFlags,
    params: Flags.string({multiple: true, delimiter: ',', summary: 'Values for $1, $2, ... in order, comma-separated.'}),
    analyze: Flags.boolean({summary: 'Run the statement too (EXPLAIN ANALYZE); never without this flag.'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(StatsExplain)
    const session = await this.connect(flags)
    const result = await explainStatement(session, args.queryid, {params: flags.params, analyze: flags.analyze})
    await this.output(result.lines, flags, {columns: EXPLAIN_COLUMNS})
    if (!result.explained) note(`pass --params with ${result.paramCount} value${result.paramCount === 1 ? '' : 's'} to see the plan`)
  }
}
