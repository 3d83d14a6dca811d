import {BaseCommand} from '../../base-command.js'
import {note} from '../../output/messages.js'
import {schemaStatus} from '../../schema/status.js'
import {connectionFlags, outputFlags} from '../../shared-flags.js'

export default class DbStatus extends BaseCommand {
  static override summary = 'Show applied, pending and edited migrations, and schema drift.'
  static override description = `Drift is any table, column, index, constraint, trigger or function the migrations created that is now missing or different.
Exit codes follow the monitoring convention: 0 up to date, 1 pending migrations, 2 drift or an edited migration, 3 cannot connect.`
  static override examples = ['<%= config.bin %> db status', '<%= config.bin %> db status --format json']
  static override flags = {...connectionFlags, ...outputFlags}

  async run(): Promise<void> {
    const {flags} = await this.parse(DbStatus)
    const session = await this.connect(flags)
    const status = await schemaStatus(session)
    await this.output(status.rows, flags, {columns: ['item', 'name', 'state', 'detail']})
    const {applied, pending, edited, drift} = status.summary
    note(`${applied} applied, ${pending} pending, ${edited} edited, ${drift} drifted object${drift === 1 ? '' : 's'}`)
    process.exitCode = status.exitCode
  }
}
