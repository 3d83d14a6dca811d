import {BaseCommand} from '../../base-command.js'
import {vacuumProgress} from '../../health/vacuum.js'
import {connectionFlags, outputFlags} from '../../shared-flags.js'

export default class VacuumProgress extends BaseCommand {
  static override summary =
    'Vacuums running now (pg_stat_progress_vacuum): phase, blocks scanned and vacuumed, dead tuples collected.'
  static override examples = ['<%= config.bin %> vacuum progress', '<%= config.bin %> vacuum progress --format json']
  static override flags = {...connectionFlags, ...outputFlags}

  async run(): Promise<void> {
    const {flags} = await this.parse(VacuumProgress)
    const session = await this.connect(flags)
    await this.output(await vacuumProgress(session), flags, {
      columns: [
        'pid',
        'database',
        'table_name',
        'phase',
        'heap_blks_total',
        'heap_blks_scanned',
        'heap_blks_vacuumed',
        'scanned_pct',
        'vacuumed_pct',
        'index_vacuum_count',
        'indexes_total',
        'indexes_processed',
        'dead_tuples',
        'max_dead_tuples',
        'dead_tuple_bytes',
        'max_dead_tuple_bytes',
        'is_autovacuum',
        'running_for',
        'query',
      ],
    })
  }
}
