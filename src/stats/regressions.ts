import type pg from 'pg'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {usageError} from '../errors.js'
import {requireStatements} from './extension.js'
import {shapeHash} from './plan-shapes.js'
import {explainGeneric} from './plans.js'
import {
  eventNotes,
  keyOf,
  loadWindow,
  windowLines,
  snapshotQuery,
  windowDeltas,
  type DeltaRow,
  type StatementWindow,
  type WindowEvents,
  type WindowOptions,
} from './snapshots.js'
import {isPlannable} from './statement-text.js'
import type {StatementRow} from './statements.js'

export interface RegressionOptions extends WindowOptions {
  /** Mean per call at least this many times the mean before (default 2). */
  factor?: number
  /** Calls in the window at least (default 50). */
  minCalls?: number
  db?: string
  limit?: number
}

export interface RegressionRow {
  queryid: number | string
  db_name: string | null
  user_name: string | null
  /** mean_ms / mean_before_ms. */
  factor: number
  /** (mean_ms - mean_before_ms) x calls: the time the slowdown cost in the window. */
  extra_ms: number
  calls_before: number
  calls: number
  mean_before_ms: number
  mean_ms: number
  rows_per_call_before: number
  rows_per_call: number
  blks_read_per_call_before: number
  blks_read_per_call: number
  /** changed: counted from the earlier snapshot; reset: the counters went down in the window and count since. */
  status: DeltaRow['status']
  /** null: no plan stored for one of the two points. */
  plan_changed: boolean | null
  plan_before: string | null
  plan_after: string | null
  query: string
}

export interface RegressionsResult extends WindowEvents {
  rows: RegressionRow[]
  /** Lines for stderr: the window, where "before" comes from, and any reset, restart or eviction in it. */
  notes: string[]
}

export const DEFAULT_FACTOR = 2
export const DEFAULT_MIN_CALLS = 50

interface StoredPlan {
  queryid: number | string
  dbid: number
  plan_hash: string
  plan: string
}

async function storedPlans(client: pg.ClientBase, snapshotId: number): Promise<Map<string, StoredPlan>> {
  const rows = await snapshotQuery<StoredPlan>(client, 'snapshot-plans', [snapshotId])
  return new Map(rows.map((r) => [`${r.queryid}/${r.dbid}`, r]))
}

/** The figures before the window: the interval before it when there is one, else the counters at its start (since their reset). */
function beforeFigures(
  window: StatementWindow,
  previous: Map<string, DeltaRow> | undefined,
  row: DeltaRow,
): StatementRow | undefined {
  if (previous) return previous.get(keyOf(row))
  return window.fromRows.find((r) => keyOf(r) === keyOf(row))
}

const perCall = (n: number, calls: number) => (calls > 0 ? n / calls : 0)

/**
 * Statements whose mean time per call rose at least `factor` times from the interval before the window,
 * with at least `minCalls` calls in it, ranked by the time the slowdown cost. Never resets
 * pg_stat_statements: a reset, restart or eviction in the window is reported, and figures stay non-negative.
 */
export async function findRegressions(session: Session, options: RegressionOptions): Promise<RegressionsResult> {
  const factor = options.factor ?? DEFAULT_FACTOR
  const minCalls = options.minCalls ?? DEFAULT_MIN_CALLS
  if (!(factor > 1))
    throw usageError(
      `--factor must be more than 1, got ${factor}`,
      'e.g. --factor 2 for statements at least twice as slow',
    )
  const info = await requireStatements(session)
  return inTransaction(session, 'diagnostic-report', async (client) => {
    const window = await loadWindow(client, info, options)
    const {rows, previous, resetStatements} = windowDeltas(window)
    const regressed: Array<Omit<RegressionRow, 'plan_changed' | 'plan_before' | 'plan_after'> & {dbid: number}> = []
    for (const row of rows) {
      if (row.calls < minCalls || (options.db !== undefined && row.db_name !== options.db)) continue
      const before = beforeFigures(window, previous, row)
      if (!before || before.calls <= 0 || !(before.mean_ms > 0) || row.mean_ms < factor * before.mean_ms) continue
      regressed.push({
        queryid: row.queryid,
        dbid: row.dbid,
        db_name: row.db_name,
        user_name: row.user_name,
        factor: row.mean_ms / before.mean_ms,
        extra_ms: (row.mean_ms - before.mean_ms) * row.calls,
        calls_before: before.calls,
        calls: row.calls,
        mean_before_ms: before.mean_ms,
        mean_ms: row.mean_ms,
        rows_per_call_before: perCall(before.rows, before.calls),
        rows_per_call: perCall(row.rows, row.calls),
        blks_read_per_call_before: perCall(before.shared_blks_read, before.calls),
        blks_read_per_call: perCall(row.shared_blks_read, row.calls),
        status: row.status,
        query: row.query,
      })
    }
    regressed.sort((a, b) => b.extra_ms - a.extra_ms || String(a.queryid).localeCompare(String(b.queryid)))
    const kept = options.limit === undefined ? regressed : regressed.slice(0, options.limit)
    const plansBefore = await storedPlans(client, window.from.id)
    const plansAfter = window.to.snapshot_id === null ? undefined : await storedPlans(client, window.to.snapshot_id)
    const out: RegressionRow[] = []
    for (const {dbid, ...r} of kept) {
      const before = plansBefore.get(`${r.queryid}/${dbid}`)
      // The window ends now: the plan is made now, for statements of this database.
      const after = plansAfter
        ? plansAfter.get(`${r.queryid}/${dbid}`)
        : r.db_name === info.database && isPlannable(r.query)
          ? await planNow(client, session, r.query)
          : undefined
      out.push({
        ...r,
        plan_changed: before && after ? before.plan_hash !== after.plan_hash : null,
        plan_before: before?.plan ?? null,
        plan_after: after?.plan ?? null,
      })
    }
    const earlier = window.earlier && {snapshot_id: window.earlier.id, taken_at: window.earlier.taken_at}
    const notes = [
      ...windowLines({snapshot_id: window.from.id, taken_at: window.from.taken_at}, window.to, earlier, 'before'),
      ...eventNotes(window.events, resetStatements),
    ]
    return {rows: out, ...window.events, notes}
  })
}

async function planNow(
  client: pg.ClientBase,
  session: Session,
  text: string,
): Promise<{plan: string; plan_hash: string} | undefined> {
  const explained = await explainGeneric(client, session.server, text, {format: 'text', costs: false}).catch(
    () => undefined,
  )
  if (!explained) return undefined
  const lines = explained.plan as string[]
  return {plan: lines.join('\n'), plan_hash: shapeHash(lines)}
}
