import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {type ActivityFilter, fetchSessions, type SessionRow} from './sessions.js'

/** A session with the settings its role and database give it at login (ALTER ROLE / ALTER DATABASE ... SET). */
type SessionWithSettings = SessionRow & {role_settings: string[]}

/**
 * `activity --settings`: the sessions, each with the non-default settings pg_db_role_setting gives
 * its role and database, read in the same transaction. What a session SETs itself is not visible to others.
 */
export function listSessionsWithSettings(
  session: Session,
  filter: ActivityFilter = {},
): Promise<SessionWithSettings[]> {
  return inTransaction(session, 'diagnostic', async (client) => {
    const rows = await fetchSessions(client, filter)
    const {rows: settings} = await client.query<{pid: number; settings: string[]}>(
      query('activity/session-settings').text,
    )
    const byPid = new Map(settings.map((s) => [s.pid, s.settings]))
    return rows.map((r) => ({...r, role_settings: byPid.get(r.pid) ?? []}))
  })
}
