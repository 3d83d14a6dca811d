import {activityFlags} from '../../activity/session-flags.js'
import {listSessions, parseFilters} from '../../activity/sessions.js'
import {BaseCommand} from '../../base-command.js'
import {connectionFlags, outputFlags} from '../../shared-flags.js'
import {parseDuration} from '../../util/time.js'

export default class Activity extends BaseCommand {
  static override summary = 'Long-running queries and idle-in-transaction sessions, longest first, with who blocks them.'
  static override description = 'Reads pg_stat_activity (client backends, this session left out). duration_s is how long the current state has lasted: the running query, or the time idle in a transaction. blocked_by lists every pid that blocks the session (pg_blocking_pids), blocking the pids it blocks.'
  static override examples = [
    '<%= config.bin %> activity --min-duration 5m',
    '<%= config.bin %> activity --filter user=app --filter database=fluxstudio --format json',
    '<%= config.bin %> activity --idle',
  ]
  static override flags = {...connectionFlags, ...outputFlags, ...activityFlags}

  async run(): Promise<void> {
    const {flags} = await this.parse(Activity)
    const filter = {...parseFilters(flags.filter), minDurationMs: parseDuration(flags['min-duration'] ?? '0s', '--min-duration'), includeIdle: flags.idle}
    const session = await this.connect(flags)
    const rows = await listSessions(session, filter)
    await this.output(rows, flags, {columns: ['pid', 'database', 'user', 'application', 'client', 'state', 'wait_event_type', 'wait_event', 'duration_s', 'xact_age_s', 'blocked_by', 'blocking', 'query'],
      priority: ['pid', 'state', 'duration_s', 'query', 'wait_event', 'blocked_by', 'user', 'database']})
  }
}
