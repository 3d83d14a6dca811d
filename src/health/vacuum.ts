import {query} from '../db/queries.js'
import {redactQueries} from '../db/redact.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'

export type VacuumSort = 'dead' | 'last-vacuum' | 'name'
export const VACUUM_SORTS: VacuumSort[] = ['dead', 'last-vacuum', 'name']

export interface VacuumStatusRow {
  table_name: string
  live_tuples: number
  dead_tuples: number
  dead_ratio: number
  last_vacuum: Date | null
  last_autovacuum: Date | null
  last_analyze: Date | null
  last_autoanalyze: Date | null
  vacuum_count: number
  autovacuum_count: number
  analyze_count: number
  autoanalyze_count: number
  autovacuum_enabled: boolean
  vacuum_threshold: number
  insert_threshold: number | null
  analyze_threshold: number
  xid_age: number
  freeze_max_age: number
  vacuum_due: boolean
  analyze_due: boolean
  due_reason: string
}

/** Per-table vacuum statistics and whether autovacuum is due, from effective (reloptions-aware) thresholds. */
export async function vacuumStatus(
  session: Session,
  options: {sort?: VacuumSort; table?: string} = {},
): Promise<VacuumStatusRow[]> {
  return inTransaction(
    session,
    'diagnostic',
    async (client) =>
      (
        await client.query<VacuumStatusRow>(query('vacuum/status').text, [
          options.sort ?? 'name',
          options.table ?? null,
        ])
      ).rows,
  )
}

/** Vacuums running now, from pg_stat_progress_vacuum. */
export async function vacuumProgress(session: Session): Promise<object[]> {
  return inTransaction(session, 'diagnostic', async (client) =>
    redactQueries((await client.query(query('vacuum/progress', session.server).text)).rows),
  )
}

/** xid and multixact ages per database and for the oldest tables of the current database. */
export async function wraparoundAges(session: Session, options: {tables?: number} = {}): Promise<object[]> {
  return inTransaction(
    session,
    'diagnostic',
    async (client) => (await client.query(query('vacuum/wraparound').text, [options.tables ?? 10])).rows,
  )
}

export interface BloatRow {
  object_type: 'table' | 'index'
  table_name: string
  index_name: string | null
  bloat_ratio: number
  actual_bytes: number
  wasted_bytes: number
  wasted: string
}

/** Statistics-based table and index bloat estimate, largest waste first. */
export async function bloatEstimates(
  session: Session,
  options: {minWastedBytes?: number; limit?: number} = {},
): Promise<BloatRow[]> {
  return inTransaction(
    session,
    'diagnostic',
    async (client) =>
      (await client.query<BloatRow>(query('vacuum/bloat').text, [options.minWastedBytes ?? 0, options.limit ?? 50]))
        .rows,
  )
}
