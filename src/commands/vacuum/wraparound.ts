import {BaseCommand} from '../../base-command.js'
import {wraparoundAges} from '../../health/vacuum.js'
import {boundedInteger, connectionFlags, outputFlags} from '../../shared-flags.js'

export default class VacuumWraparound extends BaseCommand {
  static override summary =
    'Transaction-ID and multixact ages per database and for the oldest tables, as % of autovacuum_freeze_max_age and of the 2^31 limit.'
  static override examples = [
    '<%= config.bin %> vacuum wraparound',
    '<%= config.bin %> vacuum wraparound --tables 25 --format json',
  ]
  static override flags = {
    ...connectionFlags,
    ...outputFlags,
    tables: boundedInteger({
      summary: 'How many of the oldest tables of this database to list.',
      default: 10,
      min: 0,
      max: 1_000_000,
    }),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(VacuumWraparound)
    const session = await this.connect(flags)
    await this.output(await wraparoundAges(session, {tables: flags.tables}), flags, {
      columns: [
        'level',
        'name',
        'xid_age',
        'xid_pct_freeze_max_age',
        'xid_pct_wraparound',
        'mxid_age',
        'mxid_pct_freeze_max_age',
        'mxid_pct_wraparound',
      ],
    })
  }
}
