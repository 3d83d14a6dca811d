import {BaseCommand} from '../../base-command.js'
import {note, warnSkipped} from '../../output/messages.js'
import {schemaStatus} from '../../schema/status.js'
import {connectionFlags, outputFlags} from '../../shared-flags.js'

export default class DbStatus extends BaseCommand {
  static override summary = 'Show applied, pending and edited migrations, and schema drift.'
  static override description = `Drift is any table, column, index, constraint, trigger or function the migrations created that is now missing or different; on a Citus coordinator distributed by \`db distribute\`, compared with the distributed form of the contract (docs/citus.md). The first row and stderr line name the layout: single node, or Citus with its workers and shard count.
Exit codes follow the monitoring convention: 0 up to date, 1 pending migrations, 2 drift or an edited migration, 3 cannot connect, cannot read the schema (permission denied, a timeout),
or drift not checked because an application table is locked (the line on stderr names the holder).`
  static override examples = ['<%= config.bin %> db status', '<%= config.bin %> db status --format json']
  static override flags = {...connectionFlags, ...outputFlags}
  static override monitoring = true

  async run(): Promise<void> {
    const {flags} = await this.parse(DbStatus)
    const session = await this.connect(flags)
    const status = await schemaStatus(session)
    await this.output(status.rows, flags, {columns: ['item', 'name', 'state', 'detail']})
    const {applied, pending, edited, drift} = status.summary
    note(status.layout)
    warnSkipped(status.skipped)
    note(`${applied} applied, ${pending} pending, ${edited} edited, ${drift} drifted object${drift === 1 ? '' : 's'}`)
    process.exitCode = status.exitCode
  }
}
