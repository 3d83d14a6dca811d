import {createReadStream, existsSync} from 'node:fs'
import {stat} from 'node:fs/promises'
import {homedir, userInfo} from 'node:os'
import {join} from 'node:path'
import type {ConnectionOptions} from 'node:tls'
import type {ClientConfig} from 'pg'
import {FluxError, usageError} from '../errors.js'
import {authPolicy, type AuthPolicy} from './auth-policy.js'
import {parseConnInfo, type ConnInfo} from './conninfo.js'
import {registerSecret} from './redact.js'
import {readService} from './service-file.js'
import {sslAttempts, sslSettings, type SslSettings} from './ssl.js'

export type TargetSource = 'flag' | 'DATABASE_URL' | 'environment' | 'sandbox'

/** Where to connect, and how to name it in messages (never with the password). */
export interface Target {
  source: TargetSource
  host: string
  port: number
  database: string
  user: string
  config: ClientConfig
  ssl: SslSettings
  /** require_auth and channel_binding, enforced while the server authenticates. */
  auth: AuthPolicy
  /** sslmode allow / prefer: the other attempt when the first is refused (false: plain). */
  fallbackSsl: Array<false | ConnectionOptions>
  /** The other hosts of a connection string that lists several, tried in order after this one. */
  others: Target[]
  /** libpq's target_session_attrs (or PGTARGETSESSIONATTRS): which server of the list will do. */
  sessionAttrs: SessionAttrs
}

const SESSION_ATTRS = ['any', 'read-write', 'read-only', 'primary', 'standby', 'prefer-standby'] as const
export type SessionAttrs = (typeof SESSION_ATTRS)[number]

const LIBPQ_VARS = ['PGHOST', 'PGPORT', 'PGUSER', 'PGDATABASE', 'PGPASSWORD', 'PGSERVICE', 'PGSSLMODE', 'PGPASSFILE']

/**
 * flag > DATABASE_URL > libpq variables (with service file and ~/.pgpass) > `sandboxUrl`, the running
 * sandbox's address that the caller looks up only when nothing else names a database.
 */
export function resolveTarget(
  dbUrl: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  sandboxUrl?: () => string | undefined,
): Target {
  if (dbUrl) return fromUrl(dbUrl, 'flag', env)
  if (env.DATABASE_URL) return fromUrl(env.DATABASE_URL, 'DATABASE_URL', env)
  if (LIBPQ_VARS.some((name) => env[name])) return fromLibpq(env)
  const sandbox = sandboxUrl?.()
  if (sandbox) return fromUrl(sandbox, 'sandbox', env)
  throw new FluxError('no database to connect to', {
    kind: 'connection',
    hint: 'pass --db-url, set DATABASE_URL or PG* variables, or start one with `fluxadmin sandbox start`',
  })
}

function fromUrl(url: string, source: TargetSource, env: NodeJS.ProcessEnv): Target {
  const info = parseConnInfo(url)
  registerSecret(info.password)
  return withDefaults(info, source, env)
}

function fromLibpq(env: NodeJS.ProcessEnv): Target {
  return withDefaults({}, 'environment', env)
}

/** libpq's order: the connection string, then its service (or PGSERVICE's) entries, then the PG* variables. */
function withDefaults(info: ConnInfo, source: TargetSource, env: NodeJS.ProcessEnv): Target {
  const name = info.service ?? env.PGSERVICE
  const service = name ? readService(name, env) : {}
  const fromEnv: ConnInfo = {}
  for (const [key, variable] of Object.entries(ENV_KEYWORDS)) if (env[variable]) fromEnv[key] = env[variable]!
  return build({...fromEnv, ...service, ...info}, source, env)
}

const ENV_KEYWORDS: Record<string, string> = {
  host: 'PGHOST',
  hostaddr: 'PGHOSTADDR',
  port: 'PGPORT',
  dbname: 'PGDATABASE',
  user: 'PGUSER',
  password: 'PGPASSWORD',
  passfile: 'PGPASSFILE',
  application_name: 'PGAPPNAME',
  target_session_attrs: 'PGTARGETSESSIONATTRS',
  load_balance_hosts: 'PGLOADBALANCEHOSTS',
  connect_timeout: 'PGCONNECT_TIMEOUT',
  sslmode: 'PGSSLMODE',
  sslrootcert: 'PGSSLROOTCERT',
  sslcert: 'PGSSLCERT',
  sslkey: 'PGSSLKEY',
  sslcrl: 'PGSSLCRL',
  sslcrldir: 'PGSSLCRLDIR',
  sslcertmode: 'PGSSLCERTMODE',
  ssl_min_protocol_version: 'PGSSLMINPROTOCOLVERSION',
  ssl_max_protocol_version: 'PGSSLMAXPROTOCOLVERSION',
  sslnegotiation: 'PGSSLNEGOTIATION',
  gssencmode: 'PGGSSENCMODE',
  requirepeer: 'PGREQUIREPEER',
  require_auth: 'PGREQUIREAUTH',
  channel_binding: 'PGCHANNELBINDING',
}

/** Keywords whose demand fluxadmin cannot meet: refused rather than silently ignored. */
function refuseUnsupported(info: ConnInfo): void {
  const refuse = (what: string, hint: string) => {
    throw usageError(`${what} is not supported`, hint)
  }
  if (info.gssencmode === 'require')
    refuse('gssencmode=require (GSSAPI encryption)', 'use sslmode=verify-full for an encrypted connection')
  if (info.requirepeer) refuse('requirepeer', 'connect over TCP with sslmode=verify-full instead')
  if (info.sslnegotiation && info.sslnegotiation !== 'postgres')
    refuse(`sslnegotiation=${info.sslnegotiation}`, 'use sslnegotiation=postgres (the default)')
  if (info.replication && !['0', 'false', 'off', 'no'].includes(info.replication.toLowerCase()))
    refuse('a replication connection', 'fluxadmin connects as a normal client: drop replication=')
}

function build(info: ConnInfo, source: TargetSource, env: NodeJS.ProcessEnv): Target {
  for (const [key, value] of Object.entries(info)) {
    if (typeof value === 'string' && value.includes('\0'))
      throw new FluxError(`the connection ${key} contains a NUL byte`, {
        kind: 'usage',
        hint: 'PostgreSQL names, hosts and passwords cannot hold NUL (%00)',
      })
  }
  registerSecret(info.password)
  registerSecret(info.sslpassword)
  refuseUnsupported(info)
  const sessionAttrs = (info.target_session_attrs || 'any') as SessionAttrs
  if (!SESSION_ATTRS.includes(sessionAttrs))
    throw usageError(`invalid target_session_attrs "${sessionAttrs}"`, `one of ${SESSION_ATTRS.join(', ')}`)
  // libpq: host and hostaddr may list several servers, port one for all or one each.
  const hosts = (info.host ?? '').split(',')
  const addrs = (info.hostaddr ?? '').split(',')
  const ports = (info.port ?? '').split(',')
  const count = Math.max(hosts.length, addrs.length)
  if (hosts.length > 1 && addrs.length > 1 && hosts.length !== addrs.length)
    throw usageError(
      `could not match ${hosts.length} host names to ${addrs.length} hostaddr values`,
      'give one hostaddr per host',
    )
  if (ports.length > 1 && ports.length !== count)
    throw usageError(
      `could not match ${ports.length} port numbers to ${count} hosts`,
      'give one port for all hosts, or one per host',
    )
  const balance = info.load_balance_hosts || 'disable'
  if (balance !== 'disable' && balance !== 'random')
    throw usageError(`invalid load_balance_hosts "${balance}"`, 'one of disable, random')
  const targets = Array.from({length: count}, (_, i) =>
    buildHost(
      {
        ...info,
        host: hosts[hosts.length > 1 ? i : 0],
        hostaddr: addrs[addrs.length > 1 ? i : 0],
        port: ports[ports.length > 1 ? i : 0],
      },
      source,
      env,
      sessionAttrs,
    ),
  )
  if (balance === 'random') shuffle(targets)
  return {...targets[0], others: targets.slice(1)}
}

/** One server of the list: empty parts take libpq's defaults. */
function buildHost(info: ConnInfo, source: TargetSource, env: NodeJS.ProcessEnv, sessionAttrs: SessionAttrs): Target {
  const user = info.user || osUser(env)
  const port = Number(info.port || 5432)
  if (!/^\d+$/.test(info.port || '5432') || port <= 0 || port > 65535)
    throw new FluxError(`invalid port "${info.port}"`, {kind: 'usage'})
  const host = info.hostaddr || info.host || defaultSocketDir(port)
  const database = info.dbname || user
  const ssl = sslSettings(info)
  const auth = authPolicy(info)
  const passfile = info.passfile
  const [first, ...fallback] = sslAttempts(ssl, host, info.host || host)
  const config: ClientConfig & {enableChannelBinding?: boolean} = {
    ...(info.options ? {options: info.options} : {}),
    // SCRAM-SHA-256-PLUS when the server offers it; enforceAuthPolicy refuses anything else.
    ...(auth.channelBinding === 'require' ? {enableChannelBinding: true} : {}),
    // libpq: application_name (or PGAPPNAME) wins; fluxadmin is the fallback_application_name, as psql is psql's.
    application_name: info.application_name || 'fluxadmin',
    host,
    port,
    database,
    user,
    connectionTimeoutMillis: connectTimeoutMs(info.connect_timeout),
    // keepalives_interval, keepalives_count and tcp_user_timeout follow the system's settings: node sets the idle time only.
    keepAlive: info.keepalives !== '0',
    keepAliveInitialDelayMillis: Math.max(0, seconds('keepalives_idle', info.keepalives_idle) ?? 0) * 1000,
    // libpq reads the password file when no password, or an empty one, is given; it looks up a
    // connection through the default socket directory as host localhost.
    password:
      info.password ||
      (() =>
        passwordFromPgpass(
          {host: DEFAULT_SOCKET_DIRS.includes(host) ? 'localhost' : host, port, database, user},
          {...env, PGPASSFILE: passfile},
        )),
    ssl: first,
  }
  return {source, host, port, database, user, config, ssl, auth, fallbackSsl: fallback, others: [], sessionAttrs}
}

/**
 * With no host, libpq connects through the Unix socket in its default directory, a build choice:
 * /var/run/postgresql in Debian's and Red Hat's packages, /tmp upstream. The first that holds the
 * port's socket is used; with neither, the first directory that exists, so the error names it.
 */
const DEFAULT_SOCKET_DIRS = ['/var/run/postgresql', '/tmp']
function defaultSocketDir(port: number): string {
  return (
    DEFAULT_SOCKET_DIRS.find((dir) => existsSync(socketPath(dir, port))) ??
    DEFAULT_SOCKET_DIRS.find((dir) => existsSync(dir)) ??
    DEFAULT_SOCKET_DIRS[0]
  )
}

/** The Unix socket a server listening on `port` makes in the directory `dir`. */
export const socketPath = (dir: string, port: number) => join(dir, `.s.PGSQL.${port}`)

/** load_balance_hosts=random: the hosts in a random order (Fisher-Yates). */
function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[items[i], items[j]] = [items[j], items[i]]
  }
}

/** A whole number of seconds as libpq reads one (an int), undefined when unset. */
function seconds(keyword: string, value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined
  if (!/^\s*-?\d+\s*$/.test(value))
    throw usageError(`invalid ${keyword} "${value}"`, `a whole number of seconds, e.g. ${keyword}=5`)
  return Number(value)
}

/** libpq's connect_timeout, per host: at least 2 s; 0 or less waits for ever. Unset, fluxadmin waits 10 s. */
function connectTimeoutMs(value: string | undefined): number {
  const s = seconds('connect_timeout', value)
  if (s === undefined) return 10_000
  return s <= 0 ? 0 : Math.max(s, 2) * 1000
}

/** libpq's default user: the name of the effective OS user, as getpwuid(geteuid()) gives it (not $USER). */
function osUser(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username
  } catch {
    return env.USER || env.LOGNAME || 'postgres'
  }
}

/**
 * The password file as libpq reads it: PGPASSFILE, else ~/.pgpass in the account's home (also with
 * HOME unset), read whenever no password or an empty one was given, and skipped with a warning
 * unless it is a plain file only its owner may read. The pgpass module's own lookup differs on all
 * three (./.pgpass without HOME, nothing once PGPASSWORD exists) and reads process.env, so only its
 * line matching is used.
 */
async function passwordFromPgpass(
  info: {host: string; port: number; database: string; user: string},
  env: NodeJS.ProcessEnv,
): Promise<string> {
  const file = env.PGPASSFILE || join(homedir(), '.pgpass')
  const stats = await stat(file).catch(() => undefined)
  if (!stats) return ''
  if (!stats.isFile() || (stats.mode & 0o077) !== 0) {
    process.stderr.write(
      `WARNING: password file "${file}" ${stats.isFile() ? 'has group or world access; permissions should be u=rw (0600) or less' : 'is not a plain file'}\n`,
    )
    return ''
  }
  const {getPassword} = await import('pgpass/lib/helper.js')
  return new Promise((resolve) => {
    getPassword({...info, port: String(info.port)}, createReadStream(file), (pass) => {
      registerSecret(pass)
      resolve(pass ?? '')
    })
  })
}

/** `host:port/database`, for messages. */
export function describeTarget(target: Pick<Target, 'host' | 'port' | 'database'>): string {
  return `${target.host}:${target.port}/${target.database}`
}
