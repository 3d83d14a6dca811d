import type pg from 'pg'
import {isOwnStatement, query} from '../db/queries.js'
import {redactQueries} from '../db/redact.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {FluxError, notFound, usageError} from '../errors.js'
import {requireStatements, type StatementsInfo} from './extension.js'
import {assertSortKey, readStatements, type SortKey, type StatementFigures, type StatementFilters, type StatementRow} from './statements.js'

export interface SnapshotResult {
  snapshot_id: number
  taken_at: Date
  statements: number
  pruned: number
}

interface SnapshotInfo {
  id: number
  taken_at: Date
  stats_reset: Date | null
  statement_count: number
}

/** A query on fluxadmin.stat_snapshots*: a database migrated before 020 gets a hint, not a raw 42P01. */
async function snapshotQuery<R extends object>(client: pg.ClientBase, name: string, params: unknown[]): Promise<R[]> {
  try {
    return (await client.query<R>(query(`stats/${name}`).text, params)).rows
  } catch (error) {
    if ((error as {code?: string}).code !== '42P01') throw error
    throw new FluxError('this database has no fluxadmin.stat_snapshots table', {kind: 'database', sqlstate: '42P01', hint: 'run `fluxadmin db migrate` (migration 020 adds it)'})
  }
}

async function currentStatsReset(client: pg.ClientBase, info: StatementsInfo): Promise<Date | null> {
  if (!info.hasInfoView) return null
  return (await client.query<{stats_reset: Date | null}>(query('stats/stats-reset', info).text)).rows[0]?.stats_reset ?? null
}

/** Stores the current counters in fluxadmin.stat_snapshots; `keepMs` prunes snapshots older than that. */
export async function takeSnapshot(session: Session, options: {keepMs?: number; dryRun?: boolean} = {}): Promise<SnapshotResult> {
  const info = await requireStatements(session)
  return inTransaction(session, 'write', async (client, tx) => {
    const rows = await readStatements(client, info, 'total')
    const statsReset = await currentStatsReset(client, info)
    const [snap] = await snapshotQuery<{id: number; taken_at: Date; statement_count: number}>(client, 'insert-snapshot', [
      statsReset, info.versionNum, JSON.stringify(rows.map(({pct_total: _p, hit_ratio: _h, ...keep}) => keep)),
    ])
    let pruned = 0
    if (options.keepMs !== undefined) {
      const before = new Date(snap.taken_at.getTime() - options.keepMs)
      pruned = Number((await client.query<{pruned: number}>(query('stats/prune-snapshots').text, [before])).rows[0].pruned)
    }
    if (options.dryRun) tx.rollbackOnly()
    return {snapshot_id: Number(snap.id), taken_at: snap.taken_at, statements: snap.statement_count, pruned}
  })
}

export type DeltaStatus = 'new' | 'changed' | 'reset'

export interface DeltaRow extends StatementFigures {
  status: DeltaStatus
  mean_before_ms: number | null
  mean_change_pct: number | null
}

export interface DeltaResult {
  rows: DeltaRow[]
  from: {snapshot_id: number; taken_at: Date}
  /** snapshot_id null: the live counters now. */
  to: {snapshot_id: number | null; taken_at: Date}
  /** pg_stat_statements_info.stats_reset moved between the two points (a full reset). */
  statsReset: Date | null
  /** Statements whose counters went down (a full or partial reset, or eviction): their figures count since then. */
  resetStatements: number
}

export interface DeltaOptions extends StatementFilters {
  sort: SortKey
  limit?: number
  /** The snapshot nearest this time to now. */
  since?: Date
  /** The snapshots nearest these two times. */
  between?: [Date, Date]
}

async function nearestSnapshot(client: pg.ClientBase, at: Date): Promise<SnapshotInfo> {
  const [snap] = await snapshotQuery<SnapshotInfo>(client, 'nearest-snapshot', [at])
  if (!snap) throw notFound('no snapshot in fluxadmin.stat_snapshots yet', 'take one with `fluxadmin stats snapshot` (from cron every few minutes), then ask again')
  return {...snap, id: Number(snap.id)}
}

async function snapshotStatements(client: pg.ClientBase, id: number): Promise<StatementRow[]> {
  // Redacted again: a snapshot stored before statement texts were redacted may hold a password.
  return redactQueries((await client.query<StatementRow>(query('stats/snapshot-statements').text, [id])).rows)
}

/** What changed between a snapshot and now (or two snapshots): deltas, new statements, worse mean time; never negative. */
export async function statementsDelta(session: Session, options: DeltaOptions): Promise<DeltaResult> {
  assertSortKey(options.sort)
  if (!options.since && !options.between) throw usageError('give --since or --between')
  const info = options.between ? undefined : await requireStatements(session)
  return inTransaction(session, 'diagnostic-report', async (client) => {
    let [t1, t2] = options.between ?? [options.since!, undefined]
    if (t2 && t2 < t1) [t1, t2] = [t2, t1]
    const from = await nearestSnapshot(client, t1)
    let to: {snapshot_id: number | null; taken_at: Date; stats_reset: Date | null}
    let after: StatementRow[]
    if (t2) {
      const snap = await nearestSnapshot(client, t2)
      if (snap.id === from.id) throw usageError(`both times are nearest to the same snapshot #${snap.id} (${snap.taken_at.toISOString()})`, 'pick times nearer two different snapshots')
      to = {snapshot_id: snap.id, taken_at: snap.taken_at, stats_reset: snap.stats_reset}
      after = await snapshotStatements(client, snap.id)
    } else {
      after = await readStatements(client, info!, 'total')
      to = {snapshot_id: null, taken_at: new Date(), stats_reset: await currentStatsReset(client, info!)}
    }
    const before = await snapshotStatements(client, from.id)
    const fullReset = from.stats_reset && to.stats_reset && to.stats_reset.getTime() !== from.stats_reset.getTime() ? to.stats_reset : null
    const {rows, resetStatements} = subtract(before, after, Boolean(fullReset))
    return {
      rows: sortAndFilter(rows, options),
      from: {snapshot_id: from.id, taken_at: from.taken_at},
      to: {snapshot_id: to.snapshot_id, taken_at: to.taken_at},
      statsReset: fullReset,
      resetStatements,
    }
  })
}

const COUNTERS = ['calls', 'total_ms', 'rows', 'shared_blks_hit', 'shared_blks_read', 'shared_blks_written', 'temp_blks_read', 'temp_blks_written'] as const

const keyOf = (r: StatementRow) => `${r.queryid}/${r.userid}/${r.dbid}/${r.toplevel}`

/** Sum of squared times, recovered from calls, mean and (population) stddev. */
const sumSquares = (r: StatementRow) => r.calls * (r.stddev_ms ** 2 + r.mean_ms ** 2)

/** A time counter since `before` (undefined: since a reset or the statement's start; null: not stored then). */
const timeSince = (after: number | null, before: number | null | undefined) =>
  after === null || before === null ? null : Math.max(0, after - (before ?? 0))

export function subtract(before: StatementRow[], after: StatementRow[], fullReset: boolean): {rows: DeltaRow[]; resetStatements: number} {
  const old = new Map(before.map((r) => [keyOf(r), r]))
  const out: DeltaRow[] = []
  let resetStatements = 0
  for (const a of after) {
    const b = old.get(keyOf(a))
    const wentDown = b !== undefined && COUNTERS.some((c) => a[c] < b[c])
    const status: DeltaStatus = !b ? 'new' : fullReset || wentDown ? 'reset' : 'changed'
    if (status === 'reset') resetStatements++
    // After a reset the counters start from zero, so what they hold now is what happened since.
    const base = status === 'changed' ? b : undefined
    const calls = a.calls - (base?.calls ?? 0)
    if (calls <= 0) continue
    const total = a.total_ms - (base?.total_ms ?? 0)
    const mean = total / calls
    const variance = base ? (sumSquares(a) - sumSquares(base)) / calls - mean ** 2 : a.stddev_ms ** 2
    const hit = a.shared_blks_hit - (base?.shared_blks_hit ?? 0)
    const read = a.shared_blks_read - (base?.shared_blks_read ?? 0)
    out.push({
      queryid: a.queryid, status, user_name: a.user_name, db_name: a.db_name,
      calls, total_ms: Math.max(0, total), mean_ms: Math.max(0, mean),
      mean_before_ms: b ? b.mean_ms : null,
      mean_change_pct: b && b.mean_ms > 0 ? (100 * (mean - b.mean_ms)) / b.mean_ms : null,
      stddev_ms: Math.sqrt(Math.max(0, variance)),
      rows: a.rows - (base?.rows ?? 0),
      pct_total: null,
      shared_blks_hit: hit, shared_blks_read: read,
      shared_blks_written: a.shared_blks_written - (base?.shared_blks_written ?? 0),
      hit_ratio: hit + read > 0 ? hit / (hit + read) : null,
      temp_blks_read: a.temp_blks_read - (base?.temp_blks_read ?? 0),
      temp_blks_written: a.temp_blks_written - (base?.temp_blks_written ?? 0),
      blk_read_ms: timeSince(a.blk_read_ms, base && base.blk_read_ms),
      blk_write_ms: timeSince(a.blk_write_ms, base && base.blk_write_ms),
      toplevel: a.toplevel, query: a.query,
    })
  }
  const all = out.reduce((sum, r) => sum + r.total_ms, 0)
  for (const r of out) r.pct_total = all > 0 ? (100 * r.total_ms) / all : null
  return {rows: out, resetStatements}
}

const SORT_VALUE: Record<SortKey, (r: DeltaRow) => number> = {
  total: (r) => r.total_ms,
  mean: (r) => r.mean_ms,
  calls: (r) => r.calls,
  rows: (r) => r.rows,
  io: (r) => r.shared_blks_read + r.shared_blks_written,
  'io-time': (r) => (r.blk_read_ms ?? 0) + (r.blk_write_ms ?? 0),
  temp: (r) => r.temp_blks_read + r.temp_blks_written,
  stddev: (r) => r.stddev_ms,
}

function sortAndFilter(rows: DeltaRow[], options: DeltaOptions): DeltaRow[] {
  const needle = options.query?.toLowerCase()
  const value = SORT_VALUE[options.sort]
  const kept = rows.filter((r) =>
    (options.db === undefined || r.db_name === options.db)
    && (options.user === undefined || r.user_name === options.user)
    && r.calls >= (options.minCalls ?? 0)
    && (needle === undefined || r.query.toLowerCase().includes(needle))
    && !(options.excludeOwn && isOwnStatement(r.query)))
  kept.sort((x, y) => value(y) - value(x) || y.total_ms - x.total_ms || String(x.queryid).localeCompare(String(y.queryid)))
  return options.limit === undefined ? kept : kept.slice(0, options.limit)
}

const ago = (d: Date) => {
  const minutes = Math.round((Date.now() - d.getTime()) / 60_000)
  return minutes < 120 ? `${minutes} min ago` : `${(minutes / 60).toFixed(1)} h ago`
}

/** One or two lines for stderr: which window the figures cover, and any reset in it. */
export function windowNotes(delta: DeltaResult): string[] {
  const to = delta.to.snapshot_id === null ? 'now' : `snapshot #${delta.to.snapshot_id} (${delta.to.taken_at.toISOString()}, ${ago(delta.to.taken_at)})`
  const notes = [`from snapshot #${delta.from.snapshot_id} (${delta.from.taken_at.toISOString()}, ${ago(delta.from.taken_at)}) to ${to}`]
  if (delta.statsReset) notes.push(`pg_stat_statements was reset at ${delta.statsReset.toISOString()}, inside this window: statements marked "reset" count only since then`)
  else if (delta.resetStatements > 0) notes.push(`the counters of ${delta.resetStatements} statement${delta.resetStatements === 1 ? '' : 's'} went down (a reset or eviction) in this window: those marked "reset" count only since then`)
  return notes
}
