import type pg from 'pg'
import {recordAudits} from '../audit/record.js'
import {acrossNodes} from '../citus/nodes.js'
import {query} from '../db/queries.js'
import {redactQueries} from '../db/redact.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {FluxError, notFound, usageError} from '../errors.js'

export type BackendSignal = 'cancel' | 'terminate'

/** `--state` values and the pg_stat_activity states each one stands for. */
export const BACKEND_STATES = {
  idle: ['idle'],
  'idle-in-transaction': ['idle in transaction', 'idle in transaction (aborted)'],
  active: ['active'],
} as const
export type BackendState = keyof typeof BACKEND_STATES

/** Which sessions to signal: named pids and filters, all of them applying (at least one is given). */
export interface BackendSelection {
  pids?: number[]
  users?: string[]
  states?: BackendState[]
  /** The current state has lasted at least this long (idle: since the last statement ended). */
  idleForMs?: number
  applications?: string[]
}

/** A session the selection matched, as activity/signal-targets previews it. */
export interface BackendTarget {
  /** On a Citus coordinator, the global pid (citus_stat_activity), with the session's node. */
  pid: number
  node?: string
  backend_start: Date | null
  /** null: a session this role may not see (pg_stat_activity hides it). */
  backend_type: string | null
  is_self: boolean
  database: string | null
  user: string | null
  application: string | null
  client: string | null
  state: string | null
  state_s: number | null
  superuser: boolean
  /** Sessions waiting on its locks, and all of those through the lock tree (pg_blocking_pids). */
  blocking: number
  blocking_total: number
  query: string | null
  /** Why it is left alone (a superuser's session not named by pid, no permission), or null. */
  skip: string | null
}

export interface SignalResult {
  pid: number
  node?: string
  action: string
  user: string | null
  database: string | null
  application: string | null
  client: string | null
  state: string | null
  state_s: number | null
  blocking: number
  blocking_total: number
  query: string | null
  audit_id: string | null
}

const PAST: Record<BackendSignal, string> = {cancel: 'cancelled', terminate: 'terminated'}

/** The largest process id; a larger one is a Citus global pid (node id x 10^10 + pid), for a coordinator only. */
const MAX_PID = 2 ** 31 - 1

/** A pid from the command line: a positive integer (a process id, or a Citus global pid), else a usage error (exit 2). */
export function parsePid(text: string): number {
  const pid = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(pid) || pid <= 0)
    throw usageError(`invalid pid "${text}"`, 'a pid is a positive integer; see `fluxadmin activity`')
  return pid
}

/** The form of signal-targets for this server: on a Citus coordinator with workers, by global pid over every node. */
async function targetsQuery(client: pg.ClientBase, session: Session, pids: number[] = []): Promise<string> {
  if (await acrossNodes(client, session)) return query('activity-citus/signal-targets').text
  const big = pids.find((pid) => pid > MAX_PID)
  if (big !== undefined)
    throw usageError(
      `invalid pid "${big}": larger than any process id, and this server is not a Citus coordinator (where it would be a global pid)`,
      'a pid is a positive integer; see `fluxadmin activity`',
    )
  return query('activity/signal-targets').text
}

function describeBackend(info: Pick<BackendTarget, 'pid' | 'user' | 'application' | 'database'>): string {
  const parts = [
    info.user && `user ${info.user}`,
    info.database && `db ${info.database}`,
    info.application && `app ${info.application}`,
  ].filter(Boolean)
  return `backend ${info.pid}${parts.length ? ` (${parts.join(', ')})` : ''}`
}

/** Who a session is, as its result row and its audit row both say it. */
const described = (t: BackendTarget) => ({
  pid: t.pid,
  ...(t.node ? {node: t.node} : {}),
  user: t.user,
  database: t.database,
  application: t.application,
  client: t.client,
  state: t.state,
  state_s: t.state_s,
})

const hasFilters = (s: BackendSelection) =>
  Boolean(s.users?.length || s.states?.length || s.idleForMs !== undefined || s.applications?.length)

function targetParams(selection: BackendSelection, signal: BackendSignal, act?: BackendTarget[]): unknown[] {
  const list = <T>(items: readonly T[] | undefined) => (items?.length ? items : null)
  return [
    list(selection.pids),
    list(selection.users),
    list(selection.states?.flatMap((s) => BACKEND_STATES[s])),
    selection.idleForMs === undefined ? null : `${Math.trunc(selection.idleForMs)} milliseconds`,
    list(selection.applications),
    signal,
    Boolean(act),
    act ? act.map((t) => t.pid) : null,
    act ? act.map((t) => t.backend_start) : null,
  ]
}

/** The sessions a selection matches, previewed (nothing is sent); a named pid that is missing or cannot be signalled is an error. */
async function previewBackends(
  session: Session,
  selection: BackendSelection,
  signal: BackendSignal,
): Promise<BackendTarget[]> {
  if (!selection.pids?.length && !hasFilters(selection))
    throw usageError(
      'name a pid or a filter',
      'e.g. `backend terminate 12345`, or --user app --state idle-in-transaction --idle-for 5m',
    )
  for (const pid of selection.pids ?? []) parsePid(String(pid))
  const rows = await inTransaction(session, 'read', async (client) =>
    redactQueries(
      (
        await client.query<BackendTarget>(
          await targetsQuery(client, session, selection.pids),
          targetParams(selection, signal),
        )
      ).rows,
    ),
  )
  for (const pid of selection.pids ?? []) {
    const row = rows.find((r) => r.pid === pid)
    if (!row && !hasFilters(selection))
      throw notFound(
        `no server process with pid ${pid}`,
        'list sessions with `fluxadmin activity` (or `fluxadmin locks --blocking`)',
      )
    if (row?.is_self) throw usageError(`pid ${pid} is this fluxadmin session`, 'cancel or terminate another session')
    // The checkpointer, walwriter, autovacuum launcher and friends: PostgreSQL ignores or restarts them; never "has exited".
    if (row && row.backend_type !== null && row.backend_type !== 'client backend') {
      throw usageError(
        `pid ${pid} is not a client backend (${row.backend_type}): this command cannot signal it`,
        'cancel or terminate client sessions only; see `fluxadmin activity`',
      )
    }
  }
  return rows
}

/** "terminate backend 123 (user app, ...)" or "terminate 12 backends (pids 1, 2, 3, ...)". */
function describeAction(signal: BackendSignal, targets: BackendTarget[]): string {
  const verb = signal === 'cancel' ? 'cancel the query of' : 'terminate'
  if (targets.length === 1) return `${verb} ${describeBackend(targets[0])}`
  const pids = targets
    .slice(0, 10)
    .map((t) => t.pid)
    .join(', ')
  return `${verb} ${targets.length} backends (pid${targets.length === 1 ? '' : 's'} ${pids}${targets.length > 10 ? ', …' : ''})`
}

/**
 * Cancels the queries of (or terminates) the sessions a selection matches, after `confirm` agrees:
 * one statement signals them all, filters checked again so that a session that changed since the
 * preview (or a reused pid) is left alone, and one audit row per backend is written in the same
 * transaction. fluxadmin's own session is never signalled, a superuser's only when named by pid.
 * With dryRun it only shows what it would do (and audits nothing).
 */
export async function signalBackends(
  session: Session,
  options: {
    selection: BackendSelection
    signal: BackendSignal
    dryRun?: boolean
    actor?: string
    /** Shown the sessions it would signal and "terminate 12 backends (...)"; false aborts with nothing done. */
    confirm: (what: string, targets: BackendTarget[]) => Promise<boolean>
  },
): Promise<SignalResult[]> {
  const {selection, signal} = options
  const preview = await previewBackends(session, selection, signal)
  const result = (t: BackendTarget, action: string, auditId: string | null = null): SignalResult => ({
    ...described(t),
    action,
    blocking: t.blocking,
    blocking_total: t.blocking_total,
    query: t.query,
    audit_id: auditId,
  })
  const skipped = preview.filter((t) => t.skip).map((t) => result(t, `skipped: ${t.skip}`))
  const targets = preview.filter((t) => !t.skip)
  if (selection.pids?.length === 1 && !hasFilters(selection) && targets.length === 0) {
    throw new FluxError(`cannot ${signal} backend ${selection.pids[0]}: ${preview[0].skip}`, {
      kind: 'database',
      hint: "connect as its role, a member of it, or a role in pg_signal_backend (superusers' sessions: a superuser)",
    })
  }
  if (targets.length === 0) return skipped
  if (!(await options.confirm(describeAction(signal, targets), targets)))
    return [...targets.map((t) => result(t, 'not confirmed')), ...skipped]
  if (options.dryRun) return [...targets.map((t) => result(t, `would ${signal}`)), ...skipped]
  const done = await inTransaction(session, 'write', async (client) => {
    const {rows} = await client.query<BackendTarget & {signalled: boolean | null}>(
      await targetsQuery(client, session),
      targetParams(selection, signal, targets),
    )
    const sent = redactQueries(rows.filter((r) => r.signalled))
    const audits = await recordAudits(
      client,
      {
        eventType: `admin.backend.${PAST[signal]}`,
        severity: signal === 'terminate' ? 'warning' : 'info',
        actor: options.actor,
      },
      sent.map((t) => ({
        description: `${PAST[signal]} ${describeBackend(t)}`,
        metadata: {
          ...described(t),
          signal,
          backend_start: t.backend_start,
          query: t.query?.slice(0, 500) ?? null,
          batch_size: sent.length,
        },
      })),
    )
    return new Map(sent.map((t, i) => [t.pid, audits[i].id]))
  })
  const named = selection.pids?.length === 1 && targets.length === 1 ? targets[0].pid : undefined
  if (named !== undefined && !done.has(named))
    throw new FluxError(`backend ${named} could not be signalled (it has exited)`, {
      kind: 'not_found',
      hint: 'list sessions with `fluxadmin activity`',
    })
  return [
    ...targets.map((t) =>
      done.has(t.pid)
        ? result(t, PAST[signal], done.get(t.pid))
        : result(t, 'left alone: exited or changed since the preview'),
    ),
    ...skipped,
  ]
}

/** "terminated 12 sessions, 1 skipped" for stderr: the count at a glance whatever the format. */
export function signalSummary(
  results: Array<{pid: number; action: string; blocking: number; blocking_total: number}>,
): string {
  if (results.length === 0) return 'no session matches'
  const [one] = results
  const blocks =
    results.length === 1 && one.blocking_total > 0
      ? `; pid ${one.pid} blocks ${one.blocking} session${one.blocking === 1 ? '' : 's'} directly, ${one.blocking_total} through the lock tree`
      : ''
  const counts = new Map<string, {n: number; reasons: Set<string>}>()
  for (const r of results) {
    const [action, reason] = r.action.split(/: (.*)/)
    const entry = counts.get(action) ?? {n: 0, reasons: new Set<string>()}
    entry.n++
    if (reason) entry.reasons.add(reason)
    counts.set(action, entry)
  }
  return (
    [...counts]
      .map(
        ([action, {n, reasons}]) =>
          `${action} ${n} session${n === 1 ? '' : 's'}${reasons.size ? ` (${[...reasons].join('; ')})` : ''}`,
      )
      .join(', ') + blocks
  )
}
