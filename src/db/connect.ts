import type pg from 'pg'
import {FluxError, isFluxError} from '../errors.js'
import {mapDbError} from './errors.js'
import {redact} from './redact.js'
import {enforceAuthPolicy} from './auth-policy.js'
import {query} from './queries.js'
import {describeTarget, socketPath, type SessionAttrs, type Target} from './resolve.js'
import {ReusingSocket} from './socket.js'

/**
 * Connects as libpq would: the hosts of the connection string in order, until one connects and is
 * what target_session_attrs asks for (prefer-standby: a standby, else the first server that
 * connected); with sslmode allow / prefer, a refused first attempt is retried the other way.
 * `status` is what the chosen server reported when the connection started (ParameterStatus).
 */
export async function connectClient(
  pg: typeof import('pg').default,
  target: Target,
): Promise<{client: pg.Client; target: Target; status: Map<string, string>}> {
  const hosts = [target, ...target.others]
  const failures: Error[] = []
  let fallback: (Awaited<ReturnType<typeof connectHost>> & {target: Target}) | undefined
  for (const host of hosts) {
    let connected
    try {
      connected = await connectHost(pg, host)
    } catch (error) {
      failures.push(error as Error)
      continue
    }
    const mismatch = await sessionMismatch(connected.client, target.sessionAttrs)
    if (!mismatch) {
      await fallback?.client.end().catch(() => {})
      return {...connected, target: host}
    }
    if (target.sessionAttrs === 'prefer-standby' && !fallback) {
      fallback = {...connected, target: host}
      continue
    }
    await connected.client.end().catch(() => {})
    failures.push(
      new FluxError(
        `cannot connect to PostgreSQL at ${describeTarget(host)}: the server is ${mismatch} (target_session_attrs=${target.sessionAttrs})`,
        {
          kind: 'connection',
          hint: 'list a server of that kind in the connection string, or change target_session_attrs',
        },
      ),
    )
  }
  if (fallback) return fallback
  throw hosts.length === 1 ? failures[0] : everyHostFailed(hosts, failures)
}

async function connectHost(
  pg: typeof import('pg').default,
  target: Target,
): Promise<{client: pg.Client; status: Map<string, string>}> {
  const attempts = [target.config.ssl ?? false, ...target.fallbackSsl]
  for (const [i, ssl] of attempts.entries()) {
    const client = new pg.Client({...target.config, ssl, ...(ssl ? {} : {stream: () => new ReusingSocket()})})
    // A socket error while idle must not crash the process; the next query reports it.
    client.on('error', () => {})
    enforceAuthPolicy(client, target.auth, describeTarget(target))
    const status = new Map<string, string>()
    ;(client as unknown as {connection: NodeJS.EventEmitter}).connection.on(
      'parameterStatus',
      (msg: {parameterName: string; parameterValue: string}) => status.set(msg.parameterName, msg.parameterValue),
    )
    try {
      await client.connect()
      return {client, status}
    } catch (error) {
      await client.end().catch(() => {})
      if (i + 1 < attempts.length && refusedAttempt(error)) continue
      throw connectError(error, target)
    }
  }
  throw new Error('unreachable: no connection attempt')
}

/** How the server is not what target_session_attrs asks for, or undefined when it is. */
async function sessionMismatch(client: pg.Client, attrs: SessionAttrs): Promise<string | undefined> {
  if (attrs === 'any') return undefined
  const {
    rows: [{read_only: readOnly, in_recovery: inRecovery}],
  } = await client.query(query('db/session-attrs').text)
  if (attrs === 'read-write') return readOnly ? 'read-only' : undefined
  if (attrs === 'read-only') return readOnly ? undefined : 'read-write'
  if (attrs === 'primary') return inRecovery ? 'a standby' : undefined
  return inRecovery ? undefined : 'not a standby'
}

/** Every host failed: one line with each host's reason. */
function everyHostFailed(hosts: Target[], failures: Error[]): FluxError {
  const prefix = 'cannot connect to PostgreSQL at '
  const reasons = failures.map((f) => (f.message.startsWith(prefix) ? f.message.slice(prefix.length) : f.message))
  return new FluxError(
    `cannot connect to PostgreSQL at any of ${hosts.map(describeTarget).join(', ')}: ${reasons.join('; ')}`,
    {
      kind: 'connection',
      hint: (failures.at(-1) as FluxError).hint ?? 'check the hosts, the ports, sslmode and target_session_attrs',
    },
  )
}

/** The server has no TLS, or pg_hba.conf refuses this kind of connection: libpq then tries the other way. */
function refusedAttempt(error: unknown): boolean {
  const e = error as {code?: string; message?: string}
  return e.code === '28000' || /does not support SSL/i.test(e.message ?? '')
}

/** A connection failure is exit 3 with one line, whatever the socket or TLS layer said. */
function connectError(error: unknown, target: Target): unknown {
  if (/^timeout expired$/.test((error as Error).message)) {
    return new FluxError(
      `cannot connect to PostgreSQL at ${describeTarget(target)}: no answer within ${target.config.connectionTimeoutMillis! / 1000} s`,
      {
        kind: 'connection',
        hint: 'the server or a pooler accepted the connection but did not answer; connect_timeout (PGCONNECT_TIMEOUT) sets the wait',
      },
    )
  }
  const code = (error as NodeJS.ErrnoException).code
  if (target.host.startsWith('/') && (code === 'ENOENT' || code === 'ECONNREFUSED')) {
    return new FluxError(
      `cannot connect to PostgreSQL: no server is listening on the socket ${socketPath(target.host, target.port)}`,
      {
        kind: 'connection',
        sqlstate: code,
        hint: 'is the server running on this machine with that unix_socket_directories and port? For TCP give a host (--db-url postgres://HOST/DB, or PGHOST)',
      },
    )
  }
  const mapped = mapDbError(error, {target: describeTarget(target), database: target.database, user: target.user})
  if (isFluxError(mapped) || !(mapped instanceof Error)) return mapped
  const reason = redact(mapped.message.split('\n')[0])
  return new FluxError(`cannot connect to PostgreSQL at ${describeTarget(target)}: ${reason}`, {
    kind: 'connection',
    sqlstate: (mapped as NodeJS.ErrnoException).code,
    hint: 'check the host (a socket directory must exist), the port, sslmode and the certificates',
  })
}
