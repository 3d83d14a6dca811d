import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {countParams} from '../stats/explain.js'

/** The plan of a running session's statement, or why there is none. */
export type RunningPlan = {plan: string[]} | {reason: string}

/**
 * A plain EXPLAIN (never ANALYZE: nothing runs) of a statement seen in pg_stat_activity, in a READ
 * ONLY transaction, as one extended-protocol statement (a second statement in the text is refused).
 */
export async function explainRunning(session: Session, statement: string): Promise<RunningPlan> {
  const params = countParams(statement)
  if (params > 0) return {reason: `no plan: the statement takes ${params} bind parameter${params === 1 ? '' : 's'} that pg_stat_activity does not show`}
  try {
    return await inTransaction(session, 'read', async (client) => {
      // The server's own text of a running statement, explained only (not executed), never user input.
      const {rows} = await client.query<{'QUERY PLAN': string}>({text: `EXPLAIN ${statement}`, queryMode: 'extended'} as never)
      return {plan: rows.map((r) => r['QUERY PLAN'])}
    })
  } catch (error) {
    return {reason: `no plan: ${(error as Error).message}`}
  }
}
