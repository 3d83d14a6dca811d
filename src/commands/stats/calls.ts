import {BaseCommand} from '../../base-command.js'
import {boundedInteger, connectionFlags, outputFlags} from '../../shared-flags.js'
import {statementFilters, statementFlags} from '../../stats/statement-flags.js'
import {topStatements} from '../../stats/statements.js'

export default class StatsCalls extends BaseCommand {
  static override summary =
    'The most frequently called statements, with their time and share of all time (pg-extras calls).'
  static override examples = [
    '<%= config.bin %> stats calls',
    '<%= config.bin %> stats calls --db app -n 5 --format json',
  ]
  static override flags = {
    ...connectionFlags,
    ...outputFlags,
    ...statementFlags,
    limit: boundedInteger({char: 'n', default: 10, min: 1, max: 100_000, summary: 'How many statements.'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(StatsCalls)
    const session = await this.connect(flags)
    const rows = await topStatements(session, {...statementFilters(flags), sort: 'calls', limit: flags.limit})
    await this.output(rows, flags, {
      columns: ['queryid', 'calls', 'total_ms', 'mean_ms', 'pct_total', 'db_name', 'query'],
      priority: ['query', 'calls', 'total_ms'],
    })
  }
}
