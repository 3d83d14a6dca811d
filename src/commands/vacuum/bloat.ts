import {BaseCommand} from '../../base-command.js'
import {bloatEstimates} from '../../health/vacuum.js'
import {boundedInteger, connectionFlags, outputFlags} from '../../shared-flags.js'

export default class VacuumBloat extends BaseCommand {
  static override summary =
    'Estimated table and index bloat (statistics-based, as check_postgres and pg-extras; no extension), largest waste first.'
  static override description =
    'The estimate reads pg_stats: tables that were never analyzed are missing. bloat_ratio is actual pages / expected pages.'
  static override examples = [
    '<%= config.bin %> vacuum bloat',
    '<%= config.bin %> vacuum bloat --min-wasted 1048576 --limit 20 --format json',
  ]
  static override flags = {
    ...connectionFlags,
    ...outputFlags,
    'min-wasted': boundedInteger({
      summary: 'Leave out tables and indexes wasting fewer bytes.',
      default: 0,
      min: 0,
      max: 1e15,
    }),
    limit: boundedInteger({summary: 'At most this many rows.', default: 50, min: 1, max: 1_000_000}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(VacuumBloat)
    const session = await this.connect(flags)
    await this.output(await bloatEstimates(session, {minWastedBytes: flags['min-wasted'], limit: flags.limit}), flags, {
      columns: ['object_type', 'table_name', 'index_name', 'bloat_ratio', 'actual_bytes', 'wasted_bytes', 'wasted'],
    })
  }
}
