import {FluxError, isFluxError} from '../errors.js'
import {redact} from './redact.js'
import {tooManyConnectionsHint} from './too-many-connections.js'

interface PgLikeError extends Error {
  code?: string
  detail?: string
  constraint?: string
  table?: string
  column?: string
  address?: string
  port?: number
  errno?: number
  syscall?: string
}

export interface ErrorContext {
  /** `host:port` or `host:port/db`, for connection messages. */
  target?: string
  database?: string
  user?: string
  /** The target is the sandbox fluxadmin found by itself: only then do hints mention it. */
  sandbox?: boolean
}

const NODE_CONNECT_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EPIPE: 'connection closed by the server',
}

/** Citus' error when the coordinator cannot reach a worker: `connection to the remote node user@host:port failed ...`. */
const CITUS_NODE = /connection to the remote node (?:[^@\s]+@)?([^\s:]+:\d+) failed/

/** A Citus node (host:port) the coordinator`where` cannot reach: one line naming it, exit 3. */
export function unreachableNode(node: string, where = '', sqlstate?: string): FluxError {
  return new FluxError(
    `a Citus node cannot be reached: ${node}${where ? ` (from the coordinator${where})` : ''}; the statement did not complete and its transaction rolled back`,
    {
      kind: 'connection',
      sqlstate,
      hint: `start the PostgreSQL at ${node} (or take it out of the cluster with citus_remove_node / citus_disable_node), then run the command again`,
    },
  )
}

/** Turns a pg or socket error into one line, a hint and an exit code. Unknown errors pass through. */
export function mapDbError(error: unknown, ctx: ErrorContext = {}): unknown {
  if (isFluxError(error)) return error
  if (!(error instanceof Error)) return error
  const e = error as PgLikeError
  const where = ctx.target ? ` at ${ctx.target}` : ''
  const code = e.code ?? ''

  if (NODE_CONNECT_CODES[code]) {
    return new FluxError(`cannot connect to PostgreSQL${where}: ${NODE_CONNECT_CODES[code]}`, {
      kind: 'connection',
      sqlstate: code,
      hint: ctx.sandbox
        ? 'the sandbox is not running: start it with `fluxadmin sandbox start`'
        : 'check that the server is running and accepts TCP connections',
    })
  }
  if (/Connection terminated|Client has encountered a connection error|timeout expired/i.test(e.message) && !code) {
    return new FluxError(`lost the connection to PostgreSQL${where}: ${redact(e.message)}`, {
      kind: 'connection',
      hint: 'the server went away or a pooler closed the connection; retry',
    })
  }
  if (/client password must be a (non-empty )?string/.test(e.message) && !code) {
    return new FluxError(`cannot connect to PostgreSQL${where}: the server asks for a password and none was given`, {
      kind: 'connection',
      hint: 'give it in ~/.pgpass (or PGPASSFILE), PGPASSWORD or the connection string',
    })
  }
  if (/SASL|password must be a string|self.signed|certificate|does not support SSL/i.test(e.message) && !code) {
    return new FluxError(`cannot connect to PostgreSQL${where}: ${redact(e.message)}`, {
      kind: 'connection',
      hint: 'check the password (~/.pgpass, PGPASSWORD) and sslmode',
    })
  }

  const node = CITUS_NODE.exec(e.message)
  if (node) return unreachableNode(node[1], where, code)

  const message = redact(e.message)
  switch (code) {
    case '28P01':
    case '28000':
      return new FluxError(`authentication failed${ctx.user ? ` for user "${ctx.user}"` : ''}${where}`, {
        kind: 'connection',
        sqlstate: code,
        hint: 'check the user and password (--db-url, PGPASSWORD or ~/.pgpass) and pg_hba.conf',
      })
    case '3D000':
      return new FluxError(`database${ctx.database ? ` "${ctx.database}"` : ''} does not exist${where}`, {
        kind: 'connection',
        sqlstate: code,
        hint: 'check the database name, or create it with `createdb`',
      })
    case '57P03':
      return new FluxError(`the server${where} is starting up or shutting down`, {
        kind: 'connection',
        sqlstate: code,
        hint: 'retry in a few seconds',
      })
    case '53300':
      return new FluxError(`too many connections${where}: ${message}`, {
        kind: 'connection',
        sqlstate: code,
        hint: tooManyConnectionsHint(e.message, ctx.user),
      })
    case '57P01':
    case '57P02':
      return new FluxError(`the server terminated the connection: ${message}`, {
        kind: 'connection',
        sqlstate: code,
        hint: 'an administrator or a restart ended the session; retry',
      })
    case '57014':
      return new FluxError(`statement cancelled: ${message}`, {
        kind: 'database',
        sqlstate: code,
        hint: 'raise --statement-timeout (default 30s) or narrow the query with filters',
      })
    case '55P03':
      return new FluxError(`could not get a lock in time: ${message}`, {
        kind: 'database',
        sqlstate: code,
        hint: 'another session holds the lock; see `fluxadmin locks --blocking`',
      })
    case '42501':
      return new FluxError(`permission denied: ${message}`, {
        kind: 'database',
        sqlstate: code,
        hint: 'connect as a role with the needed privileges (e.g. pg_monitor for statistics, the table owner for changes)',
      })
    case '23505':
      return new FluxError(`already exists: ${describeDetail(e) ?? message}`, {
        kind: 'conflict',
        sqlstate: code,
        hint: e.constraint ? `unique constraint ${e.constraint}` : undefined,
      })
    case '23503':
      return new FluxError(`referenced row missing or still referenced: ${describeDetail(e) ?? message}`, {
        kind: 'conflict',
        sqlstate: code,
        hint: e.constraint ? `foreign key ${e.constraint}` : undefined,
      })
    case '23514':
      return new FluxError(`value not allowed: ${message}`, {
        kind: 'usage',
        sqlstate: code,
        hint: e.constraint ? `check constraint ${e.constraint}` : undefined,
      })
    case '22P02': {
      const uuid = /invalid input syntax for type uuid: "(.*)"/.exec(e.message)
      if (uuid)
        return new FluxError(`invalid UUID "${redact(uuid[1])}"`, {
          kind: 'usage',
          sqlstate: code,
          hint: 'a UUID looks like 0b5c4b2e-6a3c-4f0e-9d7e-2f1a3c4b5d6e',
        })
      return new FluxError(`invalid value: ${message}`, {kind: 'usage', sqlstate: code})
    }
    case '22007':
    case '22008':
      return new FluxError(`invalid date or time: ${message}`, {
        kind: 'usage',
        sqlstate: code,
        hint: 'use an ISO date such as 2026-01-31 or a duration such as 7d',
      })
    case '58P01':
    case '0A000':
      if (/extension|library/i.test(e.message)) return missingExtension(e.message, code)
      break
    case '42883':
    case '42P01':
      if (/pg_stat_statements/.test(e.message)) return missingExtension(e.message, code)
      if (/amcheck|bt_index_check/.test(e.message)) return missingExtension(e.message, code, 'amcheck')
      break
    case '55000':
      if (/pg_stat_statements/.test(e.message)) {
        return new FluxError('pg_stat_statements is installed but not loaded', {
          kind: 'missing_extension',
          sqlstate: code,
          hint: "add shared_preload_libraries = 'pg_stat_statements' to postgresql.conf and restart the server",
        })
      }
      break
    case '40001':
    case '40P01':
      return new FluxError(`transaction aborted by a concurrent change: ${message}`, {
        kind: 'database',
        sqlstate: code,
        hint: 'retry the command',
      })
  }
  if (/^[0-9A-Z]{5}$/.test(code))
    return new FluxError(`database error ${code}: ${message}`, {kind: 'database', sqlstate: code})
  return error
}

function missingExtension(
  message: string,
  code: string,
  name = /"([a-z_]+)"/.exec(message)?.[1] ?? 'pg_stat_statements',
) {
  return new FluxError(`extension ${name} is not available: ${redact(message)}`, {
    kind: 'missing_extension',
    sqlstate: code,
    hint:
      name === 'pg_stat_statements'
        ? "add shared_preload_libraries = 'pg_stat_statements' to postgresql.conf, restart, then run: CREATE EXTENSION pg_stat_statements;"
        : `run: CREATE EXTENSION ${name};`,
  })
}

function describeDetail(e: PgLikeError): string | undefined {
  // "Key (slug)=(acme) already exists." -> "slug acme"
  const m = e.detail ? /Key \((.+?)\)=\((.*?)\)/.exec(e.detail) : null
  return m ? `${m[1]} ${redact(m[2])}` : undefined
}
