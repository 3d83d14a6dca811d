import type pg from 'pg'
import {isOwnStatement, query} from '../db/queries.js'
import {redactQueries} from '../db/redact.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {FluxError, notFound, usageError} from '../errors.js'
import {requireStatements, type StatementsInfo} from './extension.js'
import {planShapes} from './plan-shapes.js'
import {readStatements, SORT_KEYS, type StatementFilters, type StatementRow} from './statements.js'

export interface SnapshotResult {
  snapshot_id: number
  taken_at: Date
  statements: number
  plans: number
  pruned: number
}

export interface SnapshotInfo {
  id: number
  taken_at: Date
  stats_reset: Date | null
  statement_count: number
  /** null in snapshots taken before migration 070. */
  postmaster_start: Date | null
  dealloc: number | null
}

/** A query on fluxadmin.stat_snapshots*: a database migrated before 020 (or 070) gets a hint, not a raw 42P01 (42703). */
export async function snapshotQuery<R extends object>(
  client: pg.ClientBase,
  name: string,
  params: unknown[],
): Promise<R[]> {
  try {
    return (await client.query<R>(query(`stats/${name}`).text, params)).rows
  } catch (error) {
    const code = (error as {code?: string}).code
    if (code === '42P01')
      throw new FluxError('this database has no fluxadmin.stat_snapshots table', {
        kind: 'database',
        sqlstate: code,
        hint: 'run `fluxadmin db migrate` (migration 020 adds it)',
      })
    if (code === '42703')
      throw new FluxError("this database's fluxadmin.stat_snapshots tables predate migration 070", {
        kind: 'database',
        sqlstate: code,
        hint: 'run `fluxadmin db migrate` (migration 070 adds plan shapes and table counters)',
      })
    throw error
  }
}

interface StatementsState {
  stats_reset: Date | null
  dealloc: number | null
}

async function statementsState(client: pg.ClientBase, info: StatementsInfo): Promise<StatementsState> {
  if (!info.hasInfoView) return {stats_reset: null, dealloc: null}
  const [row] = (await client.query<StatementsState>(query('stats/stats-reset', info).text)).rows
  return {
    stats_reset: row?.stats_reset ?? null,
    dealloc: row?.dealloc === undefined || row.dealloc === null ? null : Number(row.dealloc),
  }
}

/**
 * Stores the current counters in fluxadmin.stat_snapshots, with the table write counters and the generic
 * plan shapes of this database's top statements; `keepMs` prunes snapshots older than that.
 */
export async function takeSnapshot(
  session: Session,
  options: {keepMs?: number; dryRun?: boolean} = {},
): Promise<SnapshotResult> {
  const info = await requireStatements(session)
  return inTransaction(session, 'write', async (client, tx) => {
    const rows = await readStatements(client, info, 'total')
    const state = await statementsState(client, info)
    const [snap] = await snapshotQuery<{id: number; taken_at: Date; statement_count: number}>(
      client,
      'insert-snapshot',
      [
        state.stats_reset,
        info.versionNum,
        JSON.stringify(rows.map(({pct_total: _p, hit_ratio: _h, ...keep}) => keep)),
        state.dealloc,
      ],
    )
    const shapes = await planShapes(
      client,
      session.server,
      rows.filter((r) => r.db_name === info.database),
    )
    const [{stored}] = await snapshotQuery<{stored: number}>(client, 'insert-snapshot-plans', [
      snap.id,
      JSON.stringify(shapes),
    ])
    let pruned = 0
    if (options.keepMs !== undefined) {
      const before = new Date(snap.taken_at.getTime() - options.keepMs)
      pruned = Number(
        (await client.query<{pruned: number}>(query('stats/prune-snapshots').text, [before])).rows[0].pruned,
      )
    }
    if (options.dryRun) tx.rollbackOnly()
    return {
      snapshot_id: Number(snap.id),
      taken_at: snap.taken_at,
      statements: snap.statement_count,
      plans: Number(stored),
      pruned,
    }
  })
}

/** The stored snapshots, newest first (`stats snapshots`): their times are what --since and --between pick from. */
export async function listSnapshots(session: Session, limit?: number): Promise<object[]> {
  return inTransaction(session, 'read', (client) => snapshotQuery(client, 'list-snapshots', [limit ?? null]))
}

export type DeltaStatus = 'new' | 'changed' | 'reset'

export interface DeltaRow extends StatementRow {
  status: DeltaStatus
  /** Mean time per call in the interval before the window (between the snapshot before `from` and `from`). */
  mean_before_ms: number | null
  mean_change_pct: number | null
}

/** What happened between two points that the counters alone do not say. */
export interface WindowEvents {
  /** pg_stat_statements_info.stats_reset moved (a full reset): the time of the reset. */
  statsReset: Date | null
  /** The server started again: its new start time. */
  restart: Date | null
  /** Entries pg_stat_statements evicted (pg_stat_statements.max reached); null when not known (before 1.9 or 070). */
  evicted: number | null
}

interface Point {
  snapshot_id: number | null
  taken_at: Date
  stats_reset: Date | null
  postmaster_start: Date | null
  dealloc: number | null
}

/** Two points in time and the snapshot before the first: the counters at each, and what happened in between. */
export interface StatementWindow {
  from: SnapshotInfo
  to: Point
  /** The snapshot before `from` (the "before" interval ends at `from`); null when `from` is the oldest. */
  earlier: SnapshotInfo | null
  fromRows: StatementRow[]
  toRows: StatementRow[]
  earlierRows: StatementRow[]
  events: WindowEvents
  earlierEvents: WindowEvents | null
}

export interface DeltaResult extends WindowEvents {
  rows: DeltaRow[]
  from: {snapshot_id: number; taken_at: Date}
  /** snapshot_id null: the live counters now. */
  to: {snapshot_id: number | null; taken_at: Date}
  /** Where mean_before_ms comes from: the snapshot before `from`, or (none older) since the counters' reset. */
  earlier: {snapshot_id: number; taken_at: Date} | null
  /** Statements whose counters went down (a full or partial reset, or eviction): their figures count since then. */
  resetStatements: number
}

/** Sort keys of a window: the live ones, and `change` (mean_change_pct, the worst first). */
export const DELTA_SORT_KEYS = [...SORT_KEYS, 'change'] as const
export type DeltaSortKey = (typeof DELTA_SORT_KEYS)[number]

export interface WindowOptions {
  /** The snapshot nearest this time to now. */
  since?: Date
  /** The snapshots nearest these two times. */
  between?: [Date, Date]
}

export interface DeltaOptions extends StatementFilters, WindowOptions {
  sort: DeltaSortKey
  limit?: number
}

async function nearestSnapshot(client: pg.ClientBase, at: Date): Promise<SnapshotInfo> {
  const [snap] = await snapshotQuery<SnapshotInfo>(client, 'nearest-snapshot', [at])
  if (!snap)
    throw notFound(
      'no snapshot in fluxadmin.stat_snapshots yet',
      'take one with `fluxadmin stats snapshot` (from cron every few minutes), then ask again',
    )
  return numbered(snap)
}

const numbered = (snap: SnapshotInfo): SnapshotInfo => ({
  ...snap,
  id: Number(snap.id),
  dealloc: snap.dealloc === null ? null : Number(snap.dealloc),
})

async function snapshotStatements(client: pg.ClientBase, id: number): Promise<StatementRow[]> {
  // Redacted again: a snapshot stored before statement texts were redacted may hold a password.
  return redactQueries((await client.query<StatementRow>(query('stats/snapshot-statements').text, [id])).rows)
}

const changed = (a: Date | null, b: Date | null) => a !== null && b !== null && a.getTime() !== b.getTime()

export function windowEvents(
  a: Omit<Point, 'snapshot_id' | 'taken_at'>,
  b: Omit<Point, 'snapshot_id' | 'taken_at'>,
): WindowEvents {
  const statsReset = changed(a.stats_reset, b.stats_reset) ? b.stats_reset : null
  // dealloc starts from zero again with a full reset.
  const evicted =
    a.dealloc === null || b.dealloc === null
      ? null
      : statsReset || b.dealloc < a.dealloc
        ? b.dealloc
        : b.dealloc - a.dealloc
  return {statsReset, restart: changed(a.postmaster_start, b.postmaster_start) ? b.postmaster_start : null, evicted}
}

/** Loads a window (`since`: a snapshot to now; `between`: two snapshots) in the caller's REPEATABLE READ transaction. */
export async function loadWindow(
  client: pg.ClientBase,
  info: StatementsInfo | undefined,
  options: WindowOptions,
): Promise<StatementWindow> {
  if (!options.since && !options.between) throw usageError('give --since or --between')
  let [t1, t2] = options.between ?? [options.since!, undefined]
  if (t2 && t2 < t1) [t1, t2] = [t2, t1]
  const from = await nearestSnapshot(client, t1)
  let to: Point
  let toRows: StatementRow[]
  if (t2) {
    const snap = await nearestSnapshot(client, t2)
    if (snap.id === from.id)
      throw usageError(
        `both times are nearest to the same snapshot #${snap.id} (${snap.taken_at.toISOString()})`,
        'pick times nearer two different snapshots',
      )
    to = {...snap, snapshot_id: snap.id}
    toRows = await snapshotStatements(client, snap.id)
  } else {
    toRows = await readStatements(client, info!, 'total')
    const [{postmaster_start}] = (await client.query<{postmaster_start: Date}>(query('stats/server-start').text)).rows
    to = {snapshot_id: null, taken_at: new Date(), ...(await statementsState(client, info!)), postmaster_start}
  }
  const [previous] = await snapshotQuery<SnapshotInfo>(client, 'previous-snapshot', [from.id])
  const earlier = previous ? numbered(previous) : null
  return {
    from,
    to,
    earlier,
    fromRows: await snapshotStatements(client, from.id),
    toRows,
    earlierRows: earlier ? await snapshotStatements(client, earlier.id) : [],
    events: windowEvents(from, to),
    earlierEvents: earlier ? windowEvents(earlier, from) : null,
  }
}

/** The window's deltas, each with the mean of the interval before it (`mean_before_ms`). */
export function windowDeltas(window: StatementWindow): {
  rows: DeltaRow[]
  previous: Map<string, DeltaRow> | undefined
  resetStatements: number
} {
  const previous = window.earlier
    ? new Map(
        subtract(window.earlierRows, window.fromRows, window.earlierEvents!.statsReset !== null).rows.map((r) => [
          keyOf(r),
          r,
        ]),
      )
    : undefined
  const {rows, resetStatements} = subtract(window.fromRows, window.toRows, window.events.statsReset !== null, previous)
  return {rows, previous, resetStatements}
}

/** What changed between a snapshot and now (or two snapshots): deltas, new statements, worse mean time; never negative. */
export async function statementsDelta(session: Session, options: DeltaOptions): Promise<DeltaResult> {
  if (!(DELTA_SORT_KEYS as readonly string[]).includes(options.sort))
    throw usageError(`unknown sort key "${options.sort}"`, `use one of: ${DELTA_SORT_KEYS.join(', ')}`)
  if (!options.since && !options.between) throw usageError('give --since or --between')
  const info = options.between ? undefined : await requireStatements(session)
  return inTransaction(session, 'diagnostic-report', async (client) => {
    const window = await loadWindow(client, info, options)
    const {rows, resetStatements} = windowDeltas(window)
    return {
      rows: sortAndFilter(rows, options),
      from: {snapshot_id: window.from.id, taken_at: window.from.taken_at},
      to: {snapshot_id: window.to.snapshot_id, taken_at: window.to.taken_at},
      earlier: window.earlier && {snapshot_id: window.earlier.id, taken_at: window.earlier.taken_at},
      ...window.events,
      resetStatements,
    }
  })
}

const COUNTERS = [
  'calls',
  'total_ms',
  'rows',
  'shared_blks_hit',
  'shared_blks_read',
  'shared_blks_written',
  'temp_blks_read',
  'temp_blks_written',
] as const

export const keyOf = (r: Pick<StatementRow, 'queryid' | 'userid' | 'dbid' | 'toplevel'>) =>
  `${r.queryid}/${r.userid}/${r.dbid}/${r.toplevel}`

/** Sum of squared times, recovered from calls, mean and (population) stddev. */
const sumSquares = (r: StatementRow) => r.calls * (r.stddev_ms ** 2 + r.mean_ms ** 2)

/** A time counter since `before` (undefined: since a reset or the statement's start; null: not stored then). */
const timeSince = (after: number | null, before: number | null | undefined) =>
  after === null || before === null ? null : Math.max(0, after - (before ?? 0))

/**
 * The figures between two points. `previous` (the deltas of the interval before `before`) gives each
 * statement's mean before the window; without it, the mean at `before` (since the counters' reset) stands in.
 */
export function subtract(
  before: StatementRow[],
  after: StatementRow[],
  fullReset: boolean,
  previous?: Map<string, DeltaRow>,
): {rows: DeltaRow[]; resetStatements: number} {
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
    const meanBefore = previous ? (previous.get(keyOf(a))?.mean_ms ?? null) : b ? b.mean_ms : null
    out.push({
      queryid: a.queryid,
      userid: a.userid,
      dbid: a.dbid,
      status,
      user_name: a.user_name,
      db_name: a.db_name,
      calls,
      total_ms: Math.max(0, total),
      mean_ms: Math.max(0, mean),
      mean_before_ms: meanBefore,
      mean_change_pct: meanBefore !== null && meanBefore > 0 ? (100 * (mean - meanBefore)) / meanBefore : null,
      stddev_ms: Math.sqrt(Math.max(0, variance)),
      rows: a.rows - (base?.rows ?? 0),
      pct_total: null,
      shared_blks_hit: hit,
      shared_blks_read: read,
      shared_blks_written: a.shared_blks_written - (base?.shared_blks_written ?? 0),
      hit_ratio: hit + read > 0 ? hit / (hit + read) : null,
      temp_blks_read: a.temp_blks_read - (base?.temp_blks_read ?? 0),
      temp_blks_written: a.temp_blks_written - (base?.temp_blks_written ?? 0),
      blk_read_ms: timeSince(a.blk_read_ms, base && base.blk_read_ms),
      blk_write_ms: timeSince(a.blk_write_ms, base && base.blk_write_ms),
      toplevel: a.toplevel,
      query: a.query,
    })
  }
  const all = out.reduce((sum, r) => sum + r.total_ms, 0)
  for (const r of out) r.pct_total = all > 0 ? (100 * r.total_ms) / all : null
  return {rows: out, resetStatements}
}

const SORT_VALUE: Record<DeltaSortKey, (r: DeltaRow) => number> = {
  total: (r) => r.total_ms,
  mean: (r) => r.mean_ms,
  calls: (r) => r.calls,
  rows: (r) => r.rows,
  io: (r) => r.shared_blks_read + r.shared_blks_written,
  'io-time': (r) => (r.blk_read_ms ?? 0) + (r.blk_write_ms ?? 0),
  temp: (r) => r.temp_blks_read + r.temp_blks_written,
  stddev: (r) => r.stddev_ms,
  change: (r) => r.mean_change_pct ?? Number.NEGATIVE_INFINITY,
}

function sortAndFilter(rows: DeltaRow[], options: DeltaOptions): DeltaRow[] {
  const needle = options.query?.toLowerCase()
  const value = SORT_VALUE[options.sort]
  const kept = rows.filter(
    (r) =>
      (options.db === undefined || r.db_name === options.db) &&
      (options.user === undefined || r.user_name === options.user) &&
      r.calls >= (options.minCalls ?? 0) &&
      (needle === undefined || r.query.toLowerCase().includes(needle)) &&
      !(options.excludeOwn && isOwnStatement(r.query)),
  )
  kept.sort(
    (x, y) => value(y) - value(x) || 0 || y.total_ms - x.total_ms || String(x.queryid).localeCompare(String(y.queryid)),
  )
  return options.limit === undefined ? kept : kept.slice(0, options.limit)
}

const ago = (d: Date) => {
  const minutes = Math.round((Date.now() - d.getTime()) / 60_000)
  return minutes < 120 ? `${minutes} min ago` : `${(minutes / 60).toFixed(1)} h ago`
}

const describePoint = (id: number | null, at: Date) =>
  id === null ? 'now' : `snapshot #${id} (${at.toISOString()}, ${ago(at)})`

/** Lines for stderr about what happened inside a window besides the counters: a reset, a restart, evictions. */
export function eventNotes(events: WindowEvents, resetStatements: number): string[] {
  const notes: string[] = []
  if (events.statsReset)
    notes.push(
      `pg_stat_statements was reset at ${events.statsReset.toISOString()}, inside this window: statements marked "reset" count only since then`,
    )
  else if (resetStatements > 0)
    notes.push(
      `the counters of ${resetStatements} statement${resetStatements === 1 ? '' : 's'} went down (a reset or eviction) in this window: those marked "reset" count only since then`,
    )
  if (events.restart)
    notes.push(
      `the server restarted at ${events.restart.toISOString()}, inside this window (counters survive a clean shutdown; statements marked "reset" lost theirs)`,
    )
  if (events.evicted)
    notes.push(
      `pg_stat_statements evicted ${events.evicted} entr${events.evicted === 1 ? 'y' : 'ies'} in this window (pg_stat_statements.max reached): an evicted statement that came back counts only since then`,
    )
  return notes
}

/** Lines for stderr: which window the figures cover and where "before" comes from. */
export function windowLines(
  from: {snapshot_id: number; taken_at: Date},
  to: {snapshot_id: number | null; taken_at: Date},
  earlier: {snapshot_id: number; taken_at: Date} | null,
  before = 'mean_before_ms',
): string[] {
  return [
    `from ${describePoint(from.snapshot_id, from.taken_at)} to ${describePoint(to.snapshot_id, to.taken_at)}`,
    earlier
      ? `${before} is the mean between snapshot #${earlier.snapshot_id} (${earlier.taken_at.toISOString()}) and #${from.snapshot_id}`
      : `no snapshot before #${from.snapshot_id}: ${before} is the mean from the counters' reset to it`,
  ]
}

/** Lines for stderr: the window, where mean_before_ms comes from, and any reset, restart or eviction in it. */
export function windowNotes(delta: DeltaResult): string[] {
  return [...windowLines(delta.from, delta.to, delta.earlier), ...eventNotes(delta, delta.resetStatements)]
}
