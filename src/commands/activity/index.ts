import * as Flags from '@oclif/core/flags'
import {connectionSummary, SUMMARY_COLUMNS} from '../../activity/connection-summary.js'
import {withNodeColumn} from '../../activity/node-columns.js'
import {activityFlags} from '../../activity/session-flags.js'
import {listSessionsWithSettings} from '../../activity/session-settings.js'
import {listSessions, parseFilters} from '../../activity/sessions.js'
import {BaseCommand} from '../../base-command.js'
import {connectionFlags, outputFlags} from '../../shared-flags.js'
import {parseDuration} from '../../util/time.js'

export default class Activity extends BaseCommand {
  static override summary =
    'Long-running queries and idle-in-transaction sessions, longest first, with who blocks them.'
  static override description =
    'Reads pg_stat_activity (client backends, this session left out). duration_s is how long the current state has lasted: the running query, or the time idle in a transaction. blocked_by lists every pid that blocks the session (pg_blocking_pids), blocking the pids it blocks. --summary counts every client connection of the server (this one too) by state, user, application and client address, with max_connections and the reserved slots (superuser_reserved_connections; reserved_connections on PostgreSQL 16+).'
  static override examples = [
    '<%= config.bin %> activity --min-duration 5m',
    '<%= config.bin %> activity --filter user=app --filter database=fluxstudio --format json',
    '<%= config.bin %> activity --idle',
    '<%= config.bin %> activity --idle --settings',
    '<%= config.bin %> activity --summary',
  ]
  static override flags = {
    ...connectionFlags,
    ...outputFlags,
    ...activityFlags,
    summary: Flags.boolean({
      summary:
        'Count client connections by state, user, application and client address instead, against max_connections and the reserved slots.',
      exclusive: ['settings'],
    }),
    settings: Flags.boolean({
      summary:
        'Add role_settings: the settings each session got at login from ALTER ROLE / ALTER DATABASE ... SET (pg_db_role_setting).',
    }),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Activity)
    const filter = {
      ...parseFilters(flags.filter),
      minDurationMs: parseDuration(flags['min-duration'] ?? '0s', '--min-duration'),
      includeIdle: flags.idle,
    }
    const session = await this.connect(flags)
    if (flags.summary) {
      await this.output(await connectionSummary(session), flags, {columns: SUMMARY_COLUMNS})
      return
    }
    const rows = await (flags.settings ? listSessionsWithSettings : listSessions)(session, filter)
    const columns = [
      'pid',
      'database',
      'user',
      'application',
      'client',
      'state',
      'wait_event_type',
      'wait_event',
      'duration_s',
      'xact_age_s',
      'blocked_by',
      'blocking',
      'query',
    ]
    await this.output(rows, flags, {
      columns: withNodeColumn(flags.settings ? [...columns.slice(0, -1), 'role_settings', 'query'] : columns, rows),
      priority: [
        'pid',
        'state',
        'duration_s',
        ...(flags.settings ? ['role_settings'] : []),
        'query',
        'wait_event',
        'blocked_by',
        'user',
        'database',
      ],
    })
  }
}
