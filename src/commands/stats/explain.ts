import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../base-command.js'
import {note} from '../../output/messages.js'
import {connectionFlags, outputFlags} from '../../shared-flags.js'
import {EXPLAIN_COLUMNS} from '../../stats/columns.js'
import {explainStatement} from '../../stats/explain.js'
import {describeRole} from '../../stats/explain-role.js'

export default class StatsExplain extends BaseCommand {
  static override summary =
    "Show a statement's normalized text and, given its parameters, its plan (EXPLAIN, read-only)."
  static override description = `EXPLAIN runs in a READ ONLY transaction. A negative queryid may be written as it is (-7161...) or after --. --analyze executes the statement (EXPLAIN ANALYZE, BUFFERS),
in a transaction that is always rolled back, and only a plain read: a SELECT that writes nothing, locks no rows and
calls no volatile function (pg_terminate_backend, nextval, ...; random and clock_timestamp are fine); others exit 2. A statement without $n parameters is explained without --params.
--role plans as the application's role: SET ROLE, and the role's settings for this database (ALTER ROLE ... SET,
which SET ROLE alone does not apply) set with set_config, all in the transaction that is rolled back.`
  static override examples = [
    '<%= config.bin %> stats explain 4711234567',
    '<%= config.bin %> stats explain 4711234567 --params acme-studio,10',
    '<%= config.bin %> stats explain 4711234567 --params acme-studio,10 --analyze',
    '<%= config.bin %> stats explain 4711234567 --params acme-studio,10 --role app',
  ]
  static override args = {queryid: Args.string({required: true, description: 'The queryid, as `stats top` shows it.'})}
  static override flags = {
    ...connectionFlags,
    ...outputFlags,
    params: Flags.string({
      multiple: true,
      delimiter: ',',
      summary: 'Values for $1, $2, ... in order, comma-separated.',
    }),
    analyze: Flags.boolean({summary: 'Run the statement too (EXPLAIN ANALYZE); never without this flag.'}),
    role: Flags.string({
      summary:
        "Plan as this role: SET ROLE and the role's own settings (ALTER ROLE ... SET) in the rolled-back transaction.",
      env: 'FLUXADMIN_EXPLAIN_ROLE',
    }),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(StatsExplain)
    const session = await this.connect(flags)
    const result = await explainStatement(session, args.queryid, {
      params: flags.params,
      analyze: flags.analyze,
      role: flags.role,
    })
    await this.output(result.lines, flags, {columns: EXPLAIN_COLUMNS})
    if (result.role) note(describeRole(result.role))
    if (!result.explained)
      note(`pass --params with ${result.paramCount} value${result.paramCount === 1 ? '' : 's'} to see the plan`)
  }
}
