import {BaseCommand} from '../../base-command.js'
import {settingsReport} from '../../health/settings.js'
import {connectionFlags, outputFlags} from '../../shared-flags.js'

export default class HealthSettings extends BaseCommand {
  static override summary = 'Server settings that matter (statement timeout, pg_stat_statements, pooling, autovacuum) against the recommended values.'
  static override description = 'Values are what a new session gets (server, database and role settings). `differs` is true where the recommendation is not met.'
  static override examples = ['<%= config.bin %> health settings', '<%= config.bin %> health settings --format json']
  static override flags = {...connectionFlags, ...outputFlags}

  async run(): Promise<void> {
    const {flags} = await this.parse(HealthSettings)
    const session = await this.connect(flags)
    await this.output(await settingsReport(session), flags, {columns: ['name', 'current', 'recommended', 'differs', 'source', 'pending_restart', 'reason']})
  }
}
