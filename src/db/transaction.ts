import type pg from 'pg'
import {mapDbError} from './errors.js'
import {SQL_TAG} from './queries.js'
import {errorContext, type Session} from './session.js'

/**
 * read: READ ONLY; report: REPEATABLE READ READ ONLY (one snapshot for the whole run);
 * write: read-write with lock_timeout, retried on serialization failure or deadlock.
 */
export type TxMode = 'read' | 'report' | 'write'

const BEGIN: Record<TxMode, string> = {
  read: 'BEGIN READ ONLY',
  report: 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
  write: 'BEGIN',
}

const RETRYABLE = new Set(['40001', '40P01'])
const MAX_ATTEMPTS = 4

/** Runs fn in one transaction; rolls back on error or when fn asks for it (dry runs). */
export async function inTransaction<T>(
  session: Session,
  mode: TxMode,
  fn: (client: pg.ClientBase, tx: {rollbackOnly(): void}) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptOnce(session, mode, fn)
    } catch (error) {
      const code = (error as {code?: string}).code
      if (mode === 'write' && code && RETRYABLE.has(code) && attempt < MAX_ATTEMPTS) {
        await new Promise((r) => setTimeout(r, 20 * attempt + Math.random() * 50))
        continue
      }
      throw mapDbError(error, errorContext(session.target))
    }
  }
}

async function attemptOnce<T>(session: Session, mode: TxMode, fn: (client: pg.ClientBase, tx: {rollbackOnly(): void}) => Promise<T>): Promise<T> {
  const {client, settings} = session
  let rollback = false
  // Integers only, so composing the SET LOCAL text is safe; SET takes no bind parameters.
  const statements = [
    BEGIN[mode],
    `SET LOCAL statement_timeout = ${Math.trunc(settings.statementTimeoutMs)}`,
    `SET LOCAL idle_in_transaction_session_timeout = ${Math.trunc(settings.idleInTransactionMs)}`,
  ]
  if (mode === 'write') statements.push(`SET LOCAL lock_timeout = ${Math.trunc(settings.lockTimeoutMs)}`)
  await client.query(statements.map((s) => `${SQL_TAG} ${s}`).join('; '))
  try {
    const result = await fn(client, {rollbackOnly: () => { rollback = true }})
    await client.query(`${SQL_TAG} ${rollback ? 'ROLLBACK' : 'COMMIT'}`)
    return result
  } catch (error) {
    await client.query(`${SQL_TAG} ROLLBACK`).catch(() => {})
    throw error
  }
}
