import type pg from 'pg'
import {mapDbError} from './errors.js'
import {describeTarget, type Target} from './resolve.js'

export interface SessionSettings {
  statementTimeoutMs: number
  lockTimeoutMs: number
  idleInTransactionMs: number
}

export const DEFAULT_SETTINGS: SessionSettings = {statementTimeoutMs: 30_000, lockTimeoutMs: 5_000, idleInTransactionMs: 60_000}

/** One connection: session settings are applied per transaction, so they hold through PgBouncer. */
export interface Session {
  client: pg.Client
  target: Target
  settings: SessionSettings
  close(): Promise<void>
}

let parsersSet = false
function setTypeParsers(pg: typeof import('pg').default) {
  if (parsersSet) return
  parsersSet = true
  const asNumber = (text: string) => {
    const n = Number(text)
    return Number.isSafeInteger(n) || !/^-?\d+$/.test(text) ? n : text
  }
  pg.types.setTypeParser(pg.types.builtins.INT8, asNumber)
  pg.types.setTypeParser(pg.types.builtins.NUMERIC, asNumber)
}

export async function openSession(target: Target, settings: SessionSettings = DEFAULT_SETTINGS): Promise<Session> {
  // pg (and the crypto it loads) is needed only once a command connects.
  const {default: pg} = await import('pg')
  setTypeParsers(pg)
  const client = new pg.Client({
    ...target.config,
    application_name: 'fluxadmin',
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
  })
  // A socket error while idle must not crash the process; the next query reports it.
  client.on('error', () => {})
  try {
    await client.connect()
  } catch (error) {
    await client.end().catch(() => {})
    throw mapDbError(error, errorContext(target))
  }
  let closed = false
  return {
    client, target, settings,
    async close() {
      if (closed) return
      closed = true
      await client.end().catch(() => {})
    },
  }
}

export function errorContext(target: Target) {
  return {target: describeTarget(target), database: target.database, user: target.user}
}
