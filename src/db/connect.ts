import type pg from 'pg'
import {FluxError, isFluxError} from '../errors.js'
import {mapDbError} from './errors.js'
import {redact} from './redact.js'
import {describeTarget, type Target} from './resolve.js'

/**
 * Connects as libpq would: with sslmode allow / prefer, a refused first attempt is retried the
 * other way. `status` collects what the server reports when the connection starts (ParameterStatus).
 */
export async function connectClient(pg: typeof import('pg').default, target: Target, status: Map<string, string>): Promise<pg.Client> {
  const attempts = [target.config.ssl ?? false, ...target.fallbackSsl]
  for (const [i, ssl] of attempts.entries()) {
    const client = new pg.Client({...target.config, ssl, connectionTimeoutMillis: 10_000, keepAlive: true})
    // A socket error while idle must not crash the process; the next query reports it.
    client.on('error', () => {})
    status.clear()
    ;(client as unknown as {connection: NodeJS.EventEmitter}).connection
      .on('parameterStatus', (msg: {parameterName: string; parameterValue: string}) => status.set(msg.parameterName, msg.parameterValue))
    try {
      await client.connect()
      return client
    } catch (error) {
      await client.end().catch(() => {})
      if (i + 1 < attempts.length && refusedAttempt(error)) continue
      throw connectError(error, target)
    }
  }
  throw new Error('unreachable: no connection attempt')
}

/** The server has no TLS, or pg_hba.conf refuses this kind of connection: libpq then tries the other way. */
function refusedAttempt(error: unknown): boolean {
  const e = error as {code?: string; message?: string}
  return e.code === '28000' || /does not support SSL/i.test(e.message ?? '')
}

/** A connection failure is exit 3 with one line, whatever the socket or TLS layer said. */
function connectError(error: unknown, target: Target): unknown {
  const mapped = mapDbError(error, {target: describeTarget(target), database: target.database, user: target.user})
  if (isFluxError(mapped) || !(mapped instanceof Error)) return mapped
  const reason = redact(mapped.message.split('\n')[0])
  return new FluxError(`cannot connect to PostgreSQL at ${describeTarget(target)}: ${reason}`, {
    kind: 'connection', sqlstate: (mapped as NodeJS.ErrnoException).code,
    hint: 'check the host (a socket directory must exist), the port, sslmode and the certificates',
  })
}
