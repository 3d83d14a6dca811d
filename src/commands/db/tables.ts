import {BaseCommand} from '../../base-command.js'
import {warnSkipped} from '../../output/messages.js'
import {tableRowCounts} from '../../schema/tables.js'
import {connectionFlags, outputFlags} from '../../shared-flags.js'

export default class DbTables extends BaseCommand {
  static override summary = 'Exact row count and total size of every application table.'
  static override examples = ['<%= config.bin %> db tables', '<%= config.bin %> db tables --format ndjson']
  static override flags = {...connectionFlags, ...outputFlags}

  async run(): Promise<void> {
    const {flags} = await this.parse(DbTables)
    const session = await this.connect(flags)
    const {rows, skipped} = await tableRowCounts(session)
    await this.output(rows, flags, {columns: ['table_name', 'row_count', 'total_bytes']})
    warnSkipped(skipped)
  }
}
