import type pg from 'pg'
import {FluxError} from '../errors.js'
import {mapDbError} from './errors.js'
import {DIAGNOSTIC_LOCK_TIMEOUT_MS, isLockTimeout, lockedOut} from './lock-guard.js'
import {SQL_TAG} from './queries.js'
import {errorContext, type Session} from './session.js'
import {assertPrimary, isRecoveryConflict, readOnlyFailure, replicationConflict} from './standby.js'

/**
 * read: READ ONLY; report: REPEATABLE READ READ ONLY (one snapshot for the whole run);
 * diagnostic / diagnostic-report: as read / report, with a short lock_timeout (DIAGNOSTIC_LOCK_TIMEOUT_MS): a figure
 * read during an incident never waits long behind it (src/db/lock-guard.ts skips it and names the holder);
 * write: read-write with lock_timeout, retried on serialization failure or deadlock, refused on a standby;
 * audit: as write, but READ WRITE even when the session defaults to read-only (default_transaction_read_only):
 * the audit row of work that only read (an export, a verification) is not the operator's change, and
 * must not be skipped because the session was opened read-only.
 * read and report are retried when a standby cancels them for a recovery conflict, unless fn called noRetry()
 * (output already went out).
 */
export type TxMode = 'read' | 'report' | 'diagnostic' | 'diagnostic-report' | 'write' | 'audit'

const BEGIN: Record<TxMode, string> = {
  read: 'BEGIN READ ONLY',
  report: 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
  diagnostic: 'BEGIN READ ONLY',
  'diagnostic-report': 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
  write: 'BEGIN',
  audit: 'BEGIN READ WRITE',
}

const isWrite = (mode: TxMode) => mode === 'write' || mode === 'audit'

const RETRYABLE = new Set(['40001', '40P01'])
const MAX_ATTEMPTS = 4

export interface TxHandle {
  rollbackOnly(): void
  noRetry(): void
}

/** Runs fn in one transaction; rolls back on error or when fn asks for it (dry runs). */
export async function inTransaction<T>(
  session: Session,
  mode: TxMode,
  fn: (client: pg.ClientBase, tx: TxHandle) => Promise<T>,
): Promise<T> {
  const writes = isWrite(mode)
  if (writes) assertPrimary(session)
  for (let attempt = 1; ; attempt++) {
    const retry = {allowed: true}
    try {
      return await attemptOnce(session, mode, fn, retry)
    } catch (error) {
      const code = (error as {code?: string}).code
      const retryable = writes ? Boolean(code && RETRYABLE.has(code)) : retry.allowed && isRecoveryConflict(error)
      if (retryable && attempt < MAX_ATTEMPTS) {
        await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 50))
        continue
      }
      if (writes) throw (await readOnlyFailure(session, error)) ?? mapDbError(error, errorContext(session.target))
      if (mode.startsWith('diagnostic') && isLockTimeout(error)) throw await lockedOut(session.client)
      if (isRecoveryConflict(error)) throw replicationConflict(error as Error, attempt)
      throw mapDbError(error, errorContext(session.target))
    }
  }
}

/**
 * Runs fn inside a savepoint of the caller's transaction: when fn fails, only its work is undone and
 * the transaction goes on (the error is rethrown for the caller to judge).
 */
export async function withSavepoint<T>(client: pg.ClientBase, fn: () => Promise<T>): Promise<T> {
  await client.query(`${SQL_TAG} SAVEPOINT fluxadmin_step`)
  try {
    const result = await fn()
    await client.query(`${SQL_TAG} RELEASE SAVEPOINT fluxadmin_step`)
    return result
  } catch (error) {
    await client.query(`${SQL_TAG} ROLLBACK TO SAVEPOINT fluxadmin_step; RELEASE SAVEPOINT fluxadmin_step`)
    throw error
  }
}

const CONNECTION_CHECK_MS = 2000

async function attemptOnce<T>(
  session: Session,
  mode: TxMode,
  fn: (client: pg.ClientBase, tx: TxHandle) => Promise<T>,
  retry: {allowed: boolean},
): Promise<T> {
  const {activity} = session
  if (activity.stopped) throw stoppedAfterCommit(activity.stopped)
  activity.open = isWrite(mode) ? 'change' : 'read'
  try {
    return await runOnce(session, mode, fn, retry)
  } finally {
    activity.open = undefined
    activity.committing = undefined
  }
}

async function runOnce<T>(
  session: Session,
  mode: TxMode,
  fn: (client: pg.ClientBase, tx: TxHandle) => Promise<T>,
  retry: {allowed: boolean},
): Promise<T> {
  const {client, settings, activity} = session
  let rollback = false
  // Integers only, so composing the SET LOCAL text is safe; SET takes no bind parameters.
  const statements = [
    BEGIN[mode],
    `SET LOCAL statement_timeout = ${Math.trunc(settings.statementTimeoutMs)}`,
    `SET LOCAL idle_in_transaction_session_timeout = ${Math.trunc(settings.idleInTransactionMs)}`,
  ]
  if (isWrite(mode)) statements.push(`SET LOCAL lock_timeout = ${Math.trunc(settings.lockTimeoutMs)}`)
  if (mode.startsWith('diagnostic')) statements.push(`SET LOCAL lock_timeout = ${DIAGNOSTIC_LOCK_TIMEOUT_MS}`)
  // A client killed with SIGKILL cannot cancel: the server then checks the socket while it works (14+) and stops.
  if (session.server.versionNum >= 140000)
    statements.push(`SET LOCAL client_connection_check_interval = ${CONNECTION_CHECK_MS}`)
  await client.query(statements.map((s) => `${SQL_TAG} ${s}`).join('; '))
  try {
    const result = await fn(client, {
      rollbackOnly: () => {
        rollback = true
      },
      noRetry: () => {
        retry.allowed = false
      },
    })
    const end = client.query(`${SQL_TAG} ${rollback ? 'ROLLBACK' : 'COMMIT'}`)
    const change = !rollback && isWrite(mode)
    if (change) activity.committing = end
    await end
    if (change) activity.committed++
    return result
  } catch (error) {
    await client.query(`${SQL_TAG} ROLLBACK`).catch(() => {})
    throw error
  }
}

/** A signal came after a change was committed, before this transaction: what was committed stands, nothing more is done. */
function stoppedAfterCommit(signal: NodeJS.Signals): FluxError {
  return new FluxError(`interrupted (${signal}) after a change was committed: it stands, and nothing more was done`, {
    kind: 'failed',
    exit: signal === 'SIGINT' ? 130 : 143,
  })
}
