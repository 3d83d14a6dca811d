import {BaseCommand} from '../../base-command.js'
import {boundedInteger, connectionFlags, outputFlags} from '../../shared-flags.js'
import {unusedIndexes} from '../../stats/diagnostics.js'

export default class StatsUnusedIndexes extends BaseCommand {
  static override summary = 'Indexes scanned fewer than --max-scans times since statistics were reset, largest first.'
  static override description = 'Unique indexes are left out: they enforce constraints even when never scanned. On PostgreSQL 16+ last_scan says when an index was last used (null: never since the statistics reset).'
  static override examples = ['<%= config.bin %> stats unused-indexes', '<%= config.bin %> stats unused-indexes --max-scans 1 --format json']
  static override flags = {
    ...connectionFlags, ...outputFlags,
    'max-scans': boundedInteger({min: 1, max: 1e15, default: 50, summary: 'List indexes with fewer scans than this.'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(StatsUnusedIndexes)
    const session = await this.connect(flags)
    await this.output(await unusedIndexes(session, flags['max-scans']), flags, {columns: ['schema_name', 'table_name', 'index_name', 'index_bytes', 'index_scans', 'last_scan']})
  }
}
