import type {ConnectionOptions} from 'node:tls'
import type {ClientConfig} from 'pg'
import {FluxError} from '../errors.js'
import {runningSandbox} from '../sandbox/state.js'
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
  /** sslmode allow / prefer: the other attempt when the first is refused (false: plain). */
  fallbackSsl: Array<false | ConnectionOptions>
}

const LIBPQ_VARS = ['PGHOST', 'PGPORT', 'PGUSER', 'PGDATABASE', 'PGPASSWORD', 'PGSERVICE', 'PGSSLMODE', 'PGPASSFILE']

/** flag > DATABASE_URL > libpq variables (with service file and ~/.pgpass) > running sandbox. */
export function resolveTarget(dbUrl: string | undefined, env: NodeJS.ProcessEnv = process.env): Target {
  if (dbUrl) return fromUrl(dbUrl, 'flag', env)
  if (env.DATABASE_URL) return fromUrl(env.DATABASE_URL, 'DATABASE_URL', env)
  if (LIBPQ_VARS.some((name) => env[name])) return fromLibpq(env)
  const sandbox = runningSandbox(env)
  if (sandbox) return fromUrl(sandbox.url, 'sandbox', env)
  throw new FluxError('no database to connect to', {
    kind: 'connection',
    hint: 'pass --db-url, set DATABASE_URL or PG* variables, or start one with `fluxadmin sandbox start`',
  })
}

function fromUrl(url: string, source: TargetSource, env: NodeJS.ProcessEnv): Target {
  const info = parseConnInfo(url)
  registerSecret(info.password)
  const service = info.service ? readService(info.service, env) : {}
  return build({...service, ...info}, source, env)
}

function fromLibpq(env: NodeJS.ProcessEnv): Target {
  const service = env.PGSERVICE ? readService(env.PGSERVICE, env) : {}
  // libpq: service file entries win over the plain environment variables.
  const fromEnv: ConnInfo = {}
  for (const [key, name] of Object.entries(ENV_KEYWORDS)) if (env[name]) fromEnv[key] = env[name]!
  return build({...fromEnv, ...service}, 'environment', env)
}

const ENV_KEYWORDS: Record<string, string> = {host: 'PGHOST', port: 'PGPORT', dbname: 'PGDATABASE', user: 'PGUSER', password: 'PGPASSWORD', sslmode: 'PGSSLMODE'}

function build(info: ConnInfo, source: TargetSource, env: NodeJS.ProcessEnv): Target {
  for (const [key, value] of Object.entries(info)) {
    if (typeof value === 'string' && value.includes('\0')) throw new FluxError(`the connection ${key} contains a NUL byte`, {kind: 'usage', hint: 'PostgreSQL names, hosts and passwords cannot hold NUL (%00)'})
  }
  registerSecret(info.password)
  const user = info.user || env.PGUSER || osUser(env)
  const host = info.hostaddr || info.host || 'localhost'
  const port = Number(info.port || 5432)
  if (!/^\d+$/.test(info.port ?? '5432') || port <= 0 || port > 65535) throw new FluxError(`invalid port "${info.port}"`, {kind: 'usage'})
  const database = info.dbname || user
  const ssl = sslSettings(info.sslmode ?? env.PGSSLMODE, {rootcert: info.sslrootcert ?? env.PGSSLROOTCERT, cert: info.sslcert ?? env.PGSSLCERT, key: info.sslkey ?? env.PGSSLKEY})
  const passfile = info.passfile ?? env.PGPASSFILE
  const [first, ...fallback] = sslAttempts(ssl, host, info.host || host)
  const config: ClientConfig = {
    ...(info.options ? {options: info.options} : {}),
    // libpq: application_name (or PGAPPNAME) wins; fluxadmin is the fallback_application_name, as psql is psql's.
    application_name: info.application_name || env.PGAPPNAME || 'fluxadmin',
    host, port, database, user,
    password: info.password ?? (() => passwordFromPgpass({host, port, database, user}, {...env, PGPASSFILE: passfile})),
    ssl: first,
  }
  return {source, host, port, database, user, config, ssl, fallbackSsl: fallback}
}

function osUser(env: NodeJS.ProcessEnv): string {
  return env.USER || env.LOGNAME || 'postgres'
}

async function passwordFromPgpass(info: {host: string; port: number; database: string; user: string}, env: NodeJS.ProcessEnv): Promise<string> {
  const {default: pgpass} = await import('pgpass')
  if (env.PGPASSFILE) process.env.PGPASSFILE = env.PGPASSFILE
  return new Promise((resolve) => {
    pgpass({...info, port: String(info.port)}, (pass: string | undefined) => {
      registerSecret(pass)
      resolve(pass ?? '')
    })
  })
}

/** `host:port/database`, for messages. */
export function describeTarget(target: Pick<Target, 'host' | 'port' | 'database'>): string {
  return `${target.host}:${target.port}/${target.database}`
}
