import {existsSync, readFileSync} from 'node:fs'
import {homedir} from 'node:os'
import {join} from 'node:path'
import {parse as parseIni} from 'ini'
import type {ClientConfig} from 'pg'
import {parse as parseUrl} from 'pg-connection-string'
import {FluxError} from '../errors.js'
import {runningSandbox} from '../sandbox/state.js'
import {registerSecret} from './redact.js'

export type TargetSource = 'flag' | 'DATABASE_URL' | 'environment' | 'sandbox'

/** Where to connect, and how to name it in messages (never with the password). */
export interface Target {
  source: TargetSource
  host: string
  port: number
  database: string
  user: string
  config: ClientConfig
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
  let parsed: ReturnType<typeof parseUrl>
  try {
    parsed = parseUrl(url)
  } catch {
    throw new FluxError('the connection string is not valid', {kind: 'usage', hint: 'expected postgres://user:password@host:port/database'})
  }
  registerSecret(parsed.password)
  const fields: Record<string, string | undefined> = {
    host: parsed.host ?? undefined,
    port: parsed.port ?? undefined,
    database: parsed.database ?? undefined,
    user: parsed.user,
    password: parsed.password,
    sslmode: typeof parsed.sslmode === 'string' ? parsed.sslmode : undefined,
  }
  return build(fields, source, env, parsed)
}

function fromLibpq(env: NodeJS.ProcessEnv): Target {
  const service = env.PGSERVICE ? readService(env.PGSERVICE, env) : {}
  // libpq: service file entries win over the plain environment variables.
  const pick = (key: string, envName: string) => service[key] ?? env[envName]
  return build({
    host: pick('host', 'PGHOST'),
    port: pick('port', 'PGPORT'),
    database: pick('dbname', 'PGDATABASE'),
    user: pick('user', 'PGUSER'),
    password: pick('password', 'PGPASSWORD'),
    sslmode: pick('sslmode', 'PGSSLMODE'),
  }, 'environment', env)
}

function build(f: Record<string, string | undefined>, source: TargetSource, env: NodeJS.ProcessEnv, extra: object = {}): Target {
  for (const [key, value] of Object.entries(f)) {
    if (value?.includes('\0')) throw new FluxError(`the connection ${key} contains a NUL byte`, {kind: 'usage', hint: 'PostgreSQL names, hosts and passwords cannot hold NUL (%00)'})
  }
  registerSecret(f.password)
  const user = f.user || env.PGUSER || osUser(env)
  const host = f.host || 'localhost'
  const port = Number(f.port || 5432)
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new FluxError(`invalid port ${f.port}`, {kind: 'usage'})
  const database = f.database || user
  const config: ClientConfig = {
    ...pick(extra, ['ssl', 'options']),
    host, port, database, user,
    password: f.password ?? (() => passwordFromPgpass({host, port, database, user}, env)),
    ssl: sslFor(f.sslmode) ?? (extra as ClientConfig).ssl,
  }
  return {source, host, port, database, user, config}
}

function pick(obj: object, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key of keys) if ((obj as Record<string, unknown>)[key] !== undefined) out[key] = (obj as Record<string, unknown>)[key]
  return out
}

function sslFor(mode: string | undefined): ClientConfig['ssl'] | undefined {
  switch (mode) {
    case undefined: case 'disable': case 'allow': case 'prefer': return undefined
    case 'require': return {rejectUnauthorized: false}
    case 'verify-ca': case 'verify-full': return {rejectUnauthorized: true}
    default: throw new FluxError(`invalid sslmode "${mode}"`, {kind: 'usage', hint: 'use disable, require, verify-ca or verify-full'})
  }
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

/** Reads a `[service]` section from PGSERVICEFILE, ~/.pg_service.conf or PGSYSCONFDIR/pg_service.conf. */
function readService(name: string, env: NodeJS.ProcessEnv): Record<string, string> {
  const files = [env.PGSERVICEFILE, join(homedir(), '.pg_service.conf'), env.PGSYSCONFDIR && join(env.PGSYSCONFDIR, 'pg_service.conf')]
  for (const file of files) {
    if (!file || !existsSync(file)) continue
    const sections = parseIni(readFileSync(file, 'utf8')) as Record<string, Record<string, string>>
    if (sections[name]) return sections[name]
  }
  throw new FluxError(`service "${name}" not found`, {kind: 'usage', hint: 'define it in ~/.pg_service.conf or point PGSERVICEFILE at the file that has it'})
}

/** `host:port/database`, for messages. */
export function describeTarget(target: Pick<Target, 'host' | 'port' | 'database'>): string {
  return `${target.host}:${target.port}/${target.database}`
}
