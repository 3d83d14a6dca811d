import {query, SQL_TAG} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {isFluxError, usageError} from '../errors.js'
import {unusedIndexes} from './diagnostics.js'
import {requireStatements} from './extension.js'
import {explainGeneric, indexesUsed, type PlanNode} from './plans.js'
import {isPlannable, PLANNABLE_PATTERN} from './statement-text.js'

/** How many of this database's statements (by total time) must not use an index for it to be called unused. */
export const PLANNED_STATEMENTS = 100

export interface UnusedIndexRow {
  schema_name: string
  table_name: string
  index_name: string
  index_bytes: number
  index_scans: number
  /** Scans on the standbys given with --replica, summed. */
  replica_scans: number
  last_scan: Date | null
  drop_statement: string
}

/**
 * Indexes proven unused: scanned fewer than `maxScans` times since the statistics reset on the primary and on
 * each standby, and read by none of the generic plans of this database's top statements. Unique and
 * constraint-backing indexes are never listed (sql/queries/stats/unused-indexes.sql).
 */
export async function provenUnusedIndexes(
  primary: Session,
  replicas: Session[],
  maxScans: number,
): Promise<{rows: UnusedIndexRow[]; notes: string[]}> {
  const notes: string[] = []
  let rows = ((await unusedIndexes(primary, maxScans)) as UnusedIndexRow[]).map((r) => ({...r, replica_scans: 0}))
  for (const replica of replicas) {
    const scans = await inTransaction(replica, 'read', async (client) => {
      if (!(await client.query<{in_recovery: boolean}>(query('replica/in-recovery').text)).rows[0].in_recovery) {
        throw usageError(
          `--replica ${replica.target.host}:${replica.target.port} is not a standby`,
          'give the standbys of this primary, whose own index scans count too',
        )
      }
      return new Map(
        (
          await client.query<{schema_name: string; index_name: string; index_scans: number}>(
            query('stats/index-scans').text,
          )
        ).rows.map((r) => [`${r.schema_name}.${r.index_name}`, Number(r.index_scans)]),
      )
    })
    const before = rows.length
    rows = rows
      .filter((r) => (scans.get(`${r.schema_name}.${r.index_name}`) ?? 0) < maxScans)
      .map((r) => ({...r, replica_scans: r.replica_scans + (scans.get(`${r.schema_name}.${r.index_name}`) ?? 0)}))
    if (rows.length < before)
      notes.push(
        `${before - rows.length} index${before - rows.length === 1 ? '' : 'es'} left out: scanned ${maxScans}+ times on the standby ${replica.target.host}:${replica.target.port}`,
      )
  }
  const used = await indexesInTopPlans(primary)
  if (used === undefined) {
    notes.push('pg_stat_statements is not available here: the plans of the top statements were not checked')
    return {rows, notes}
  }
  const kept = rows.filter((r) => !used.has(r.index_name))
  if (kept.length < rows.length)
    notes.push(
      `${rows.length - kept.length} index${rows.length - kept.length === 1 ? '' : 'es'} left out: the generic plan of a top statement reads ${rows.length - kept.length === 1 ? 'it' : 'them'} (${rows
        .filter((r) => used.has(r.index_name))
        .map((r) => r.index_name)
        .slice(0, 5)
        .join(', ')})`,
    )
  return {rows: kept, notes}
}

/** Names of the indexes the generic plans of this database's top statements read (undefined without pg_stat_statements). */
async function indexesInTopPlans(session: Session): Promise<Set<string> | undefined> {
  const info = await requireStatements(session).catch((error) => {
    if (isFluxError(error) && error.kind === 'missing_extension') return undefined
    throw error
  })
  if (!info) return undefined
  return inTransaction(session, 'read', async (client, tx) => {
    tx.rollbackOnly()
    const {rows} = await client.query<{query: string}>(query('advise/statements').text, [
      0,
      0,
      null,
      PLANNED_STATEMENTS,
      SQL_TAG,
      PLANNABLE_PATTERN,
    ])
    const used = new Set<string>()
    for (const {query: text} of rows.filter((r) => isPlannable(r.query))) {
      const explained = await explainGeneric(client, session.server, text, {format: 'json'}).catch(() => undefined)
      for (const name of explained ? indexesUsed(explained.plan as PlanNode) : []) used.add(name)
    }
    return used
  })
}
