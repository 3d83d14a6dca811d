import {recordAudit} from '../audit/record.js'
import {query} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {FluxError, notFound, usageError} from '../errors.js'

export type BackendSignal = 'cancel' | 'terminate'

export interface BackendInfo {
  pid: number
  is_self: boolean
  backend_type: string
  database: string | null
  user: string | null
  application: string | null
  client: string | null
  state: string | null
  query: string | null
}

export interface SignalResult {
  pid: number
  action: string
  user: string | null
  database: string | null
  application: string | null
  state: string | null
  query: string | null
  audit_id: string | null
}

const PAST: Record<BackendSignal, string> = {cancel: 'cancelled', terminate: 'terminated'}

/** A pid from the command line: a positive 32-bit integer, else a usage error (exit 2). */
export function parsePid(text: string): number {
  const pid = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN
  if (!Number.isInteger(pid) || pid <= 0 || pid > 2 ** 31 - 1) throw usageError(`invalid pid "${text}"`, 'a pid is a positive integer; see `fluxadmin activity`')
  return pid
}

/** Looks a server process up by pid: not found (exit 4), or refuses fluxadmin's own session (exit 2). */
async function backendInfo(session: Session, pid: number): Promise<BackendInfo> {
  parsePid(String(pid))
  const row = await inTransaction(session, 'read', async (client) => (await client.query(query('activity/backend').text, [pid])).rows[0] as BackendInfo | undefined)
  if (!row) throw notFound(`no server process with pid ${pid}`, 'list sessions with `fluxadmin activity` (or `fluxadmin locks --blocking`)')
  if (row.is_self) throw usageError(`pid ${pid} is this fluxadmin session`, 'cancel or terminate another session')
  // The checkpointer, walwriter, autovacuum launcher and friends: PostgreSQL ignores or restarts them; never "has exited".
  if (row.backend_type !== 'client backend') {
    throw usageError(`pid ${pid} is not a client backend (${row.backend_type}): this command cannot signal it`, 'cancel or terminate client sessions only; see `fluxadmin activity`')
  }
  return row
}

function describeBackend(info: Pick<BackendInfo, 'pid' | 'user' | 'application' | 'database'>): string {
  const parts = [info.user && `user ${info.user}`, info.database && `db ${info.database}`, info.application && `app ${info.application}`].filter(Boolean)
  return `backend ${info.pid}${parts.length ? ` (${parts.join(', ')})` : ''}`
}

/**
 * Cancels the query of (or terminates) a server process, after `confirm` agrees, and writes the
 * audit row in the same transaction. With dryRun it only shows what it would do (and audits nothing).
 */
export async function signalBackend(session: Session, options: {
  pid: number
  signal: BackendSignal
  dryRun?: boolean
  actor?: string
  /** Asked with "cancel the query of backend 123 (user alice, ...)"; false aborts with nothing done. */
  confirm: (what: string) => Promise<boolean>
}): Promise<SignalResult> {
  const info = await backendInfo(session, options.pid)
  const verb = options.signal === 'cancel' ? 'cancel the query of' : 'terminate'
  const base = {pid: info.pid, user: info.user, database: info.database, application: info.application, state: info.state, query: info.query}
  if (!(await options.confirm(`${verb} ${describeBackend(info)}`))) return {...base, action: 'not confirmed', audit_id: null}
  if (options.dryRun) return {...base, action: `would ${options.signal}`, audit_id: null}
  return inTransaction(session, 'write', async (client) => {
    const {rows: [{signalled}]} = await client.query(query('activity/signal-backend').text, [info.pid, options.signal])
    if (!signalled) throw new FluxError(`backend ${info.pid} could not be signalled (it has exited)`, {kind: 'not_found', hint: 'list sessions with `fluxadmin activity`'})
    const audit = await recordAudit(client, {
      eventType: `admin.backend.${PAST[options.signal]}`,
      severity: options.signal === 'terminate' ? 'warning' : 'info',
      description: `${PAST[options.signal]} ${describeBackend(info)}`,
      actor: options.actor,
      metadata: {pid: info.pid, signal: options.signal, user: info.user, database: info.database, application: info.application, state: info.state, query: info.query?.slice(0, 500) ?? null},
    })
    return {...base, action: PAST[options.signal], audit_id: audit.id}
  })
}
