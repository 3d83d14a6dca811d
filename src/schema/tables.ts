import {unlockedTables} from '../db/lock-guard.js'
import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'

export interface TableCount {
  table_name: string
  row_count: number
  total_bytes: number
}

/** Exact counts, all in one snapshot; a locked table is left out (one line each in `skipped`) rather than waited for. */
export function tableRowCounts(session: Session): Promise<{rows: TableCount[]; skipped: string[]}> {
  return inTransaction(session, 'diagnostic-report', async (client) => {
    const {locked, skipped} = await unlockedTables(client, 'db tables')
    return {rows: (await client.query<TableCount>(query('db/table-row-counts').text, [locked])).rows, skipped}
  })
}
