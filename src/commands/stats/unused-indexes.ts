import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../base-command.js'
import {resolveTarget} from '../../db/resolve.js'
import {note} from '../../output/messages.js'
import {boundedInteger, connectionFlags, outputFlags} from '../../shared-flags.js'
import {provenUnusedIndexes} from '../../stats/drop-advice.js'

export default class StatsUnusedIndexes extends BaseCommand {
  static override summary =
    "Indexes proven unused: scanned fewer than --max-scans times on the primary and each --replica, read by no top statement's plan."
  static override description = `Unique and constraint-backing indexes are never listed: they enforce constraints even when never scanned. An index the generic
plan of one of this database's top 100 statements (pg_stat_statements) reads is left out too. drop_statement is the
DROP INDEX CONCURRENTLY to run; index_bytes what it frees. On PostgreSQL 16+ last_scan says when an index was last used (null: never since the statistics reset).`
  static override examples = [
    '<%= config.bin %> stats unused-indexes',
    '<%= config.bin %> stats unused-indexes --max-scans 1 --replica postgres://standby1/app --replica postgres://standby2/app --format json',
  ]
  static override flags = {
    ...connectionFlags,
    ...outputFlags,
    'max-scans': boundedInteger({
      min: 1,
      max: 1e15,
      default: 50,
      summary: 'List indexes with fewer scans than this (1: never scanned).',
    }),
    replica: Flags.string({
      multiple: true,
      summary: 'A standby of this primary whose own index scans count too (URL or service name); repeat for each.',
    }),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(StatsUnusedIndexes)
    const primary = await this.connect(flags)
    const replicas = await Promise.all((flags.replica ?? []).map((r) => this.connect(flags, resolveTarget(r))))
    const result = await provenUnusedIndexes(primary, replicas, flags['max-scans'])
    for (const line of result.notes) note(line)
    await this.output(result.rows, flags, {
      columns: [
        'schema_name',
        'table_name',
        'index_name',
        'index_bytes',
        'index_scans',
        'replica_scans',
        'last_scan',
        'drop_statement',
      ],
    })
  }
}
