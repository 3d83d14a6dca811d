import {join} from 'node:path'
import type {Target} from '../db/resolve.js'
import {FluxError} from '../errors.js'

/** Exit code of `backup verify` (and create) when it could not run at all: tool missing, too old, no file. */
export const COULD_NOT_RUN = 3

export const cannotRun = (message: string, hint?: string) =>
  new FluxError(message, {kind: 'failed', exit: COULD_NOT_RUN, hint})

export interface PgTool {
  name: string
  path: string
  version: string
  major: number
}

/** pg_dump / pg_restore from FLUXADMIN_PG_CLIENT_BIN, else PATH, with their version. */
export async function findTool(name: 'pg_dump' | 'pg_restore', env: NodeJS.ProcessEnv = process.env): Promise<PgTool> {
  const {$} = await import('zx')
  const path = env.FLUXADMIN_PG_CLIENT_BIN ? join(env.FLUXADMIN_PG_CLIENT_BIN, name) : name
  const out = await $({quiet: true, nothrow: true})`${path} --version`
  const m = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(out.stdout)
  if (out.exitCode !== 0 || !m) {
    throw cannotRun(
      `${name} is not available${env.FLUXADMIN_PG_CLIENT_BIN ? ` in ${env.FLUXADMIN_PG_CLIENT_BIN}` : ' on PATH'}`,
      'install the PostgreSQL client tools (apt-get install postgresql-client) or set FLUXADMIN_PG_CLIENT_BIN to their directory',
    )
  }
  return {name, path, version: `${m[1]}${m[2] ? `.${m[2]}` : ''}`, major: Number(m[1])}
}

/** pg_dump refuses a server of a newer major version: say so before it starts. */
export function assertCanDump(tool: PgTool, serverVersion: string, serverVersionNum: number): void {
  const serverMajor = Math.floor(serverVersionNum / 10_000)
  if (tool.major < serverMajor) {
    throw cannotRun(
      `${tool.name} ${tool.version} is older than the PostgreSQL ${serverVersion.split(' ')[0]} server it would dump`,
      `install the PostgreSQL ${serverMajor} client tools (apt-get install postgresql-client-${serverMajor}) or set FLUXADMIN_PG_CLIENT_BIN to their directory`,
    )
  }
}

/**
 * The child's environment: libpq variables for the target and nothing inherited from ours, so the
 * password travels in PGPASSWORD only (never on a command line, never printed).
 */
export async function libpqEnv(target: Target, database: string, appName: string): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) if (!/^PG|^DATABASE_URL$/.test(key)) env[key] = value
  const password = target.config.password
  const resolved = typeof password === 'function' ? await password() : password
  Object.assign(env, {
    PGHOST: target.host,
    PGPORT: String(target.port),
    PGUSER: target.user,
    PGDATABASE: database,
    PGAPPNAME: appName,
    PGCONNECT_TIMEOUT: '10',
  })
  if (resolved) env.PGPASSWORD = resolved
  const {mode, rootcert, cert, key, crl, minVersion, maxVersion, noClientCert} = target.ssl
  Object.assign(
    env,
    {PGSSLMODE: mode},
    rootcert && {PGSSLROOTCERT: rootcert},
    cert && {PGSSLCERT: cert},
    key && {PGSSLKEY: key},
    crl && {PGSSLCRL: crl},
    minVersion && {PGSSLMINPROTOCOLVERSION: minVersion},
    maxVersion && {PGSSLMAXPROTOCOLVERSION: maxVersion},
    noClientCert && {PGSSLCERTMODE: 'disable'},
  )
  Object.assign(
    env,
    {PGCHANNELBINDING: target.auth.channelBinding},
    target.auth.requireAuth && {PGREQUIREAUTH: target.auth.requireAuth},
  )
  return env
}

/** The last `pg_dump: error:` / `pg_restore: error:` line (or the last line), for a one-line reason. */
export function toolError(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
  const errors = lines.filter((l) => /error:|FATAL|fatal/i.test(l))
  const line = (errors[0] ?? lines.at(-1) ?? 'no output').replace(/^pg_(dump|restore): (error: )?/, '')
  return line.length > 300 ? line.slice(0, 297) + '...' : line
}

const OUTPUT_FAILURE =
  /No space left on device|Disk quota exceeded|Read-only file system|could not (open|write to|create|close) (output|directory|archive|data|TOC|file)/i
const CONNECTION_LOST =
  /server closed the connection unexpectedly|terminating connection|connection to server .* (failed|lost)|no connection to the server|connection not open/i

/**
 * pg_dump's failure with the exit code of its cause: its output could not be written (a full or
 * read-only --dir: 4), the connection failed or was lost (3, as for reports and exports), else a
 * database error (6).
 */
export function dumpFailure(stderr: string, dir: string): FluxError {
  const message = `pg_dump failed: ${toolError(stderr)}`
  if (OUTPUT_FAILURE.test(stderr))
    return new FluxError(message, {kind: 'not_found', hint: `free space in ${dir}, or choose another --dir`})
  if (CONNECTION_LOST.test(stderr))
    return new FluxError(message, {kind: 'connection', hint: 'the server went away or ended the session; retry'})
  return new FluxError(message, {kind: 'database', hint: "check the role's read privileges"})
}
