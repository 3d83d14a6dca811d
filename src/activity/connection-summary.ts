import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'

/** One line of `activity --summary`: a count of client connections in a group, or a limit. */
export interface ConnectionGroup {
  group: 'total' | 'limit' | 'state' | 'user' | 'application' | 'client'
  value: string
  connections: number
  pct_of_max: number
}

export const SUMMARY_COLUMNS = ['group', 'value', 'connections', 'pct_of_max']

/** Client connections by state, user, application and client address, with max_connections and the reserved slots. */
export function connectionSummary(session: Session): Promise<ConnectionGroup[]> {
  return inTransaction(
    session,
    'read',
    async (client) => (await client.query<ConnectionGroup>(query('activity/connection-summary').text)).rows,
  )
}
