import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {countParams} from '../stats/explain.js'

/** The plan of a running session's statement, or why there is none. */
export type RunningPlan = {plan: string[]} | {reason: string}

/** What EXPLAIN takes (PostgreSQL's ExplainableStmt), as the statement's first words say, comments and parentheses before them aside. */
const EXPLAINABLE =
  /^(select|insert|update|delete|merge|values|table|with|execute|declare|create\s+((global|local)\s+)?((temp|temporary|unlogged)\s+)?table\b.*\bas\b|create\s+materialized\s+view)\b/is
const LEADING = /^(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/|\()*/

export const NOT_EXPLAINABLE =
  'EXPLAIN takes only SELECT, INSERT, UPDATE, DELETE, MERGE, VALUES, EXECUTE, DECLARE and CREATE TABLE AS statements'

/**
 * A plain EXPLAIN (never ANALYZE: nothing runs) of a statement seen in pg_stat_activity, in a READ
 * ONLY transaction, as one extended-protocol statement (a second statement in the text is refused).
 */
export async function explainRunning(session: Session, statement: string): Promise<RunningPlan> {
  const text = statement.replace(LEADING, '')
  if (!EXPLAINABLE.test(text))
    return {reason: `no plan: ${NOT_EXPLAINABLE}, not ${(/^[a-z]+/i.exec(text)?.[0] ?? 'this one').toUpperCase()}`}
  const params = countParams(statement)
  if (params > 0)
    return {
      reason: `no plan: the statement takes ${params} bind parameter${params === 1 ? '' : 's'} that pg_stat_activity does not show`,
    }
  try {
    return await inTransaction(session, 'diagnostic', async (client) => {
      // The server's own text of a running statement, explained only (not executed), never user input.
      const {rows} = await client.query<{'QUERY PLAN': string}>({
        text: `EXPLAIN ${statement}`,
        queryMode: 'extended',
      } as never)
      return {plan: rows.map((r) => r['QUERY PLAN'])}
    })
  } catch (error) {
    return {reason: `no plan: ${(error as Error).message}`}
  }
}
