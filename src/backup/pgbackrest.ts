import {spawn} from 'node:child_process'
import {accessSync, constants} from 'node:fs'
import {delimiter, join} from 'node:path'
import type {OsUser} from '../cluster/control.js'
import {checkNotBlank} from '../util/text.js'
import {cannotRun} from './tools.js'

/** How to call pgBackRest for one stanza: which binary, which config, as which OS user. */
export interface PgBackRest {
  path: string
  stanza: string
  config?: string
  runAs?: OsUser
}

export interface PgBackRestBackup {
  label: string
  type: 'full' | 'diff' | 'incr'
  started_at: Date
  stopped_at: Date
  lsn_start: string
  lsn_stop: string
  size_bytes: number
  repo_size_bytes: number
}

export interface StanzaInfo {
  stanza: string
  /** PostgreSQL major version of the stanza's current database, e.g. "15". */
  pg_version: string
  backups: PgBackRestBackup[]
  /** Newest WAL segment in the archive of the current database, e.g. 000000010000000000000007. */
  archive_max?: string
}

export interface RunResult {
  code: number | null
  signal: NodeJS.Signals | null
  output: string
}

/** `--stanza ""` (an unset shell variable) is a usage error, not "no stanza". */
export function checkStanza(stanza: string): void {
  checkNotBlank(stanza, '--stanza', 'give the pgBackRest stanza name, e.g. --stanza main')
}

/** pgbackrest from FLUXADMIN_PGBACKREST, else PATH; exit 3 when it is not installed. */
export function findPgBackRest(env: NodeJS.ProcessEnv = process.env): string {
  const candidates = env.FLUXADMIN_PGBACKREST
    ? [env.FLUXADMIN_PGBACKREST]
    : (env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((d) => join(d, 'pgbackrest'))
  for (const path of candidates) {
    try {
      accessSync(path, constants.X_OK)
      return path
    } catch {}
  }
  throw cannotRun(
    'pgbackrest is not installed',
    'install it (apt-get install pgbackrest) or set FLUXADMIN_PGBACKREST to its path',
  )
}

/**
 * Runs one pgbackrest command as the server's OS user, in a process group of its own so that an
 * abort (Ctrl-C) stops it and every process it forked.
 */
export function runPgBackRest(r: PgBackRest, args: string[], signal?: AbortSignal): Promise<RunResult> {
  const env: NodeJS.ProcessEnv = {PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C'}
  for (const [name, value] of Object.entries(process.env)) if (name.startsWith('PGBACKREST_')) env[name] = value
  const base = [...(r.config ? [`--config=${r.config}`] : []), `--stanza=${r.stanza}`]
  return new Promise((resolve, reject) => {
    const child = spawn(r.path, [...base, ...args], {
      uid: r.runAs?.uid,
      gid: r.runAs?.gid,
      env,
      cwd: '/',
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (d) => {
      output += d
    })
    child.stderr.on('data', (d) => {
      output += d
    })
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGTERM')
        setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL')
          } catch {}
        }, 5000).unref()
      } catch {}
    }
    if (signal?.aborted) kill()
    signal?.addEventListener('abort', kill, {once: true})
    child.on('error', reject)
    child.on('close', (code, sig) => {
      signal?.removeEventListener('abort', kill)
      resolve({code, signal: sig, output})
    })
  })
}

/** The last ERROR line of pgbackrest's output (or its last line), for a one-line reason. */
export function pgbackrestError(output: string): string {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
  const error = lines.find((l) => /\bERROR: /.test(l))
  const line = error ? error.replace(/^.*?\bERROR: /, '') : (lines.at(-1) ?? 'no output')
  return line.length > 300 ? line.slice(0, 297) + '...' : line
}

/** `pgbackrest info --output=json` of the stanza; exit 3 when there is no such stanza or no backup in it. */
export async function stanzaInfo(r: PgBackRest): Promise<StanzaInfo> {
  const out = await runPgBackRest(r, ['--output=json', 'info'])
  if (out.code !== 0)
    throw cannotRun(
      `pgbackrest info failed: ${pgbackrestError(out.output)}`,
      'check --stanza and --pgbackrest-config (and that the repository is reachable)',
    )
  let parsed: any
  try {
    parsed = JSON.parse(out.output.slice(out.output.indexOf('[')))[0]
  } catch {
    throw cannotRun(`pgbackrest info printed no JSON: ${pgbackrestError(out.output)}`)
  }
  const status = parsed?.status ?? {code: 1, message: 'missing stanza'}
  if (status.code === 1 || status.code === 3)
    throw cannotRun(
      `no stanza "${r.stanza}" in the pgBackRest repository (${status.message})`,
      'check --stanza and --pgbackrest-config; `pgbackrest info` lists the stanzas',
    )
  const backups: PgBackRestBackup[] = (parsed.backup ?? [])
    .filter((b: any) => !b.error)
    .map((b: any) => ({
      label: b.label,
      type: b.type,
      started_at: new Date(b.timestamp.start * 1000),
      stopped_at: new Date(b.timestamp.stop * 1000),
      lsn_start: b.lsn?.start ?? '',
      lsn_stop: b.lsn?.stop ?? '',
      size_bytes: b.info?.size ?? 0,
      repo_size_bytes: b.info?.repository?.size ?? 0,
    }))
  const db = (parsed.db ?? []).at(-1)
  const archive = (parsed.archive ?? []).filter((a: any) => a.database?.id === db?.id && a.max).at(-1)
  return {stanza: r.stanza, pg_version: String(db?.version ?? ''), backups, archive_max: archive?.max}
}

/** `0/3017998` as a number, for comparisons. */
export function lsnValue(lsn: string): bigint {
  const m = /^([0-9A-F]+)\/([0-9A-F]+)$/i.exec(lsn.trim())
  if (!m) throw new Error(`invalid LSN "${lsn}"`)
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`)
}
