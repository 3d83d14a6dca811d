import type pg from 'pg'
import {query, SQL_TAG} from '../db/queries.js'
import {redactQueries} from '../db/redact.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {usageError} from '../errors.js'
import {requireStatements, type StatementsInfo} from './extension.js'

/** The only sort keys: each maps to a fixed expression in sql/queries/stats/statements.sql. */
export const SORT_KEYS = ['total', 'mean', 'calls', 'rows', 'io', 'io-time', 'temp', 'stddev'] as const
export type SortKey = (typeof SORT_KEYS)[number]

export interface StatementFilters {
  /** Database name. */
  db?: string
  /** Role name. */
  user?: string
  minCalls?: number
  /** Case-insensitive substring of the normalized text. */
  query?: string
  /** Leave out fluxadmin's own statements (those it tags with SQL_TAG), as the dashboard does. */
  excludeOwn?: boolean
}

/** The figures of one statement, live or as a difference between two points in time. */
export interface StatementFigures {
  queryid: number | string
  toplevel: boolean
  user_name: string | null
  db_name: string | null
  calls: number
  total_ms: number
  mean_ms: number
  stddev_ms: number
  rows: number
  pct_total: number | null
  shared_blks_hit: number
  shared_blks_read: number
  shared_blks_written: number
  hit_ratio: number | null
  temp_blks_read: number
  temp_blks_written: number
  /** Time reading and writing blocks (track_io_timing); null in a delta from a snapshot that did not store it. */
  blk_read_ms: number | null
  blk_write_ms: number | null
  query: string
}

export interface StatementRow extends StatementFigures {
  userid: number
  dbid: number
}

export function assertSortKey(sort: string): asserts sort is SortKey {
  if (!(SORT_KEYS as readonly string[]).includes(sort))
    throw usageError(`unknown sort key "${sort}"`, `use one of: ${SORT_KEYS.join(', ')}`)
}

/** A sort key for the live counters: `change` compares two windows, so it needs --since or --between. */
export function assertLiveSort(sort: string): SortKey {
  if (sort === 'change')
    throw usageError(
      '--sort change compares a window with the interval before it',
      'add --since 1h (or --between T1 T2), after `stats snapshot` ran at least twice',
    )
  assertSortKey(sort)
  return sort
}

/** Reads pg_stat_statements through stats/statements and its extversion variants (no other place knows its version-dependent columns). */
export async function readStatements(
  client: pg.ClientBase,
  info: StatementsInfo,
  sort: SortKey,
  filters: StatementFilters = {},
  limit?: number,
): Promise<StatementRow[]> {
  assertSortKey(sort)
  const params = [
    sort,
    filters.db ?? null,
    filters.user ?? null,
    filters.minCalls ?? 0,
    filters.query ?? null,
    limit ?? null,
    filters.excludeOwn ? SQL_TAG : null,
  ]
  return redactQueries((await client.query<StatementRow>(query('stats/statements', info).text, params)).rows)
}

/** The top statements now, sorted by an allow-listed key (`stats top`, `stats calls`). */
export async function topStatements(
  session: Session,
  options: StatementFilters & {sort: SortKey; limit?: number},
): Promise<StatementRow[]> {
  assertSortKey(options.sort)
  const info = await requireStatements(session)
  return inTransaction(session, 'diagnostic', (client) =>
    readStatements(client, info, options.sort, options, options.limit),
  )
}
