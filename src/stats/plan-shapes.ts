import {createHash} from 'node:crypto'
import type pg from 'pg'
import {explainGeneric, type PlanMethod} from './plans.js'
import {isPlannable} from './statement-text.js'
import type {StatementRow} from './statements.js'

/** How many of this database's statements (by total time) get their plan shape stored with each snapshot. */
export const SHAPED_STATEMENTS = 50

export interface PlanShape {
  queryid: number | string
  dbid: number
  plan_hash: string
  plan: string
  method: PlanMethod
}

/** md5 of the plan text with COSTS OFF: equal hashes, equal shapes. */
export const shapeHash = (lines: string[]) => createHash('md5').update(lines.join('\n')).digest('hex')

/**
 * The generic plan shape (EXPLAIN (COSTS OFF)) of the top statements among `rows` (this database's, by total
 * time). A statement that no longer plans (a dropped table, a temporary one) is left out.
 */
export async function planShapes(
  client: pg.ClientBase,
  server: {versionNum: number},
  rows: StatementRow[],
  limit = SHAPED_STATEMENTS,
): Promise<PlanShape[]> {
  const seen = new Set<string>()
  const shapes: PlanShape[] = []
  for (const row of [...rows].sort((a, b) => b.total_ms - a.total_ms)) {
    if (seen.size >= limit) break
    if (seen.has(String(row.queryid)) || !isPlannable(row.query)) continue
    seen.add(String(row.queryid))
    const explained = await explainGeneric(client, server, row.query, {format: 'text', costs: false}).catch(
      () => undefined,
    )
    if (!explained) continue
    const lines = explained.plan as string[]
    shapes.push({
      queryid: row.queryid,
      dbid: row.dbid,
      plan_hash: shapeHash(lines),
      plan: lines.join('\n'),
      method: explained.method,
    })
  }
  return shapes
}
