import * as Flags from '@oclif/core/flags'
import {BaseCommand} from '../../base-command.js'
import {describeOverrides, OVERRIDE_COLUMNS, settingsReport} from '../../health/settings.js'
import {note} from '../../output/messages.js'
import {connectionFlags, outputFlags} from '../../shared-flags.js'

export default class HealthSettings extends BaseCommand {
  static override summary =
    'Server settings that matter (statement timeout, pg_stat_statements, pooling, autovacuum) against the recommended values; --overrides: the settings of roles and databases.'
  static override description = `Values are what a new session of this role gets (server, database and role settings). \`differs\` is true where the recommendation is not met.
Settings that ALTER ROLE / ALTER DATABASE ... SET give other roles or databases (pg_db_role_setting, psql's \\drds) are named under the table;
--overrides lists them: role, database, setting, value, scope (at login the most specific wins: role in database, role, database, all roles)
and the client sessions of that role and database now connected.`
  static override examples = [
    '<%= config.bin %> health settings',
    '<%= config.bin %> health settings --overrides',
    '<%= config.bin %> health settings --format json',
  ]
  static override flags = {
    ...connectionFlags,
    ...outputFlags,
    overrides: Flags.boolean({
      summary: 'List the settings overridden per role or database (ALTER ROLE / ALTER DATABASE ... SET) instead.',
    }),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(HealthSettings)
    const session = await this.connect(flags)
    const {settings, overrides} = await settingsReport(session)
    if (flags.overrides) {
      await this.output(overrides, flags, {columns: OVERRIDE_COLUMNS})
      return
    }
    await this.output(settings, flags, {
      columns: ['name', 'current', 'recommended', 'differs', 'source', 'pending_restart', 'reason'],
    })
    const overridden = describeOverrides(overrides)
    if (overridden) note(overridden)
  }
}
