import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'

export interface TableCount {
  table_name: string
  row_count: number
  total_bytes: number
}

/** Exact counts, all in one snapshot. */
export function tableRowCounts(session: Session): Promise<TableCount[]> {
  return inTransaction(session, 'report', async (client) => (await client.query<TableCount>(query('db/table-row-counts').text)).rows)
}
