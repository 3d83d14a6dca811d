import type {BlockingRow} from '../activity/locks.js'
import type {SessionRow} from '../activity/sessions.js'
import {oneLine} from '../util/text.js'
import {formatValue} from './render.js'
import type {CheckContext, CheckRow} from './types.js'

// The activity checks read the same rows as `fluxadmin activity` (activity/sessions) and
// `locks --blocking` (activity/blocking), so the check and the commands an operator runs next agree.

/** activity/sessions parameters: no minimum duration, no plain idle sessions, `--db` or every database. */
export const sessionParams = (ctx: CheckContext) => ['0 seconds', false, ctx.database, null, null]

const seconds = (s: number) => formatValue(s, 'seconds')
const queryText = (q: string | null) => oneLine(q ?? '').slice(0, 200)
const client = (r: SessionRow) =>
  r.client && r.client !== 'local' && r.client_port ? `${r.client}:${r.client_port}` : (r.client ?? 'local')
const who = (r: {pid: number; user: string | null; database: string | null}) =>
  `pid ${r.pid} (${r.user ?? '?'}) in ${r.database}`

function longest<T>(rows: T[], by: (r: T) => number): T | undefined {
  return rows.reduce<T | undefined>((a, b) => (a === undefined || by(b) > by(a) ? b : a), undefined)
}

const round1 = (n: number) => Math.round(n * 10) / 10

export function longTransactions(rows: Array<Record<string, unknown>>): CheckRow {
  const open = (rows as unknown as SessionRow[]).filter((r) => r.xact_start !== null)
  const r = longest(open, (s) => s.xact_age_s ?? 0)
  if (!r) return {value: null, detail: 'no open transactions'}
  return {
    value: round1(r.xact_age_s ?? 0),
    detail: `${open.length} open transaction(s); oldest: ${who(r)} from ${client(r)} for ${seconds(r.xact_age_s ?? 0)}, state ${r.state}: ${queryText(r.query)}; end it or pg_terminate_backend(${r.pid})`,
  }
}

export function idleInTransaction(rows: Array<Record<string, unknown>>): CheckRow {
  const idle = (rows as unknown as SessionRow[]).filter(
    (r) => r.state === 'idle in transaction' || r.state === 'idle in transaction (aborted)',
  )
  const r = longest(idle, (s) => s.duration_s ?? 0)
  if (!r) return {value: null, detail: 'no idle-in-transaction sessions'}
  return {
    value: round1(r.duration_s ?? 0),
    detail: `${idle.length} idle-in-transaction session(s); longest: ${who(r)} from ${client(r)} idle for ${seconds(r.duration_s ?? 0)} after: ${queryText(r.query)}; fix the client or set idle_in_transaction_session_timeout`,
  }
}

/** pg_blocking_pids() says 0 for a prepared transaction: activity/blocking has its row (pid 0) with the gid. */
function blocker(pid: number, prepared: BlockingRow[]): string {
  if (pid !== 0) return String(pid)
  if (prepared.length === 0) return 'a prepared transaction (see pg_prepared_xacts)'
  return prepared
    .map(
      (p) =>
        `prepared transaction '${p.prepared_gid}' (owner ${p.user}, database ${p.database}, prepared ${seconds(p.xact_age_s ?? 0)} ago; COMMIT PREPARED or ROLLBACK PREPARED it)`,
    )
    .join(', ')
}

export function blockedQueries(rows: Array<Record<string, unknown>>, ctx: CheckContext): CheckRow {
  const all = rows as unknown as BlockingRow[]
  const prepared = all.filter((r) => r.prepared_gid)
  const blocked = all.filter((r) => r.blocked_by.length > 0 && (ctx.database === null || r.database === ctx.database))
  const r = longest(blocked, (s) => s.wait_s ?? 0)
  if (!r) return {value: null, detail: 'no blocked sessions'}
  return {
    value: round1(r.wait_s ?? 0),
    detail: `${blocked.length} blocked session(s); longest: ${who(r)} from ${r.client ?? 'local'} blocked by ${r.blocked_by.map((pid) => blocker(pid, prepared)).join(', ')} for ${seconds(r.wait_s ?? 0)}: ${queryText(r.query)}`,
  }
}

/** A lock wait shorter than this is ordinary contention (a hot row), not a pile-up. */
export const MIN_BLOCKED_S = 1

export function blockedSessions(rows: Array<Record<string, unknown>>, ctx: CheckContext): CheckRow {
  const all = rows as unknown as BlockingRow[]
  const blocked = all.filter(
    (r) =>
      r.blocked_by.length > 0 &&
      (r.wait_s ?? 0) >= MIN_BLOCKED_S &&
      (ctx.database === null || r.database === ctx.database),
  )
  if (blocked.length === 0) return {value: 0, detail: `no session has waited ${MIN_BLOCKED_S} s or more for a lock`}
  // The roots: blockers that wait for nobody themselves.
  const waiting = new Set(all.filter((r) => r.blocked_by.length > 0).map((r) => r.pid))
  const roots = [...new Set(blocked.flatMap((r) => r.blocked_by))].filter((pid) => !waiting.has(pid))
  const prepared = all.filter((r) => r.prepared_gid)
  return {
    value: blocked.length,
    detail: `${blocked.length} session(s) wait for a lock; at the root: ${roots.map((pid) => (pid === 0 ? blocker(pid, prepared) : `pid ${pid}`)).join(', ') || 'a lock cycle'} (\`fluxadmin locks --blocking\` shows the tree)`,
  }
}
