import {spawn} from 'node:child_process'
import {chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {dirname, join} from 'node:path'
import {FluxError} from '../errors.js'
import {dataDir, postmasterPid} from './postmaster.js'

export interface OsUser {
  name: string
  uid: number
  gid: number
}

/** A PostgreSQL cluster that fluxadmin owns: the sandbox, the test server, a scratch restore target. */
export interface ClusterSpec {
  dir: string
  port: number
  superuser: string
  password: string
  binDir: string
  settings?: Record<string, string | number>
  runAs?: OsUser
}

/** PostgreSQL refuses to run as root: then the server runs as this user (FLUXADMIN_RUN_AS, else postgres). */
export function serverUser(env: NodeJS.ProcessEnv = process.env): OsUser | undefined {
  if (process.getuid?.() !== 0) return undefined
  const name = env.FLUXADMIN_RUN_AS || 'postgres'
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`))
  if (!line) {
    throw new FluxError(`running as root, and there is no "${name}" user to run PostgreSQL as`, {
      kind: 'not_found',
      hint: `create one (useradd --system --home /var/lib/postgresql ${name}) or set FLUXADMIN_RUN_AS to an unprivileged user`,
    })
  }
  const [, , uid, gid] = line.split(':')
  return {name, uid: Number(uid), gid: Number(gid)}
}

export async function freePort(preferred?: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = createServer()
      server.once('error', () => resolve(undefined))
      server.listen(port, '127.0.0.1', () => {
        const {port: got} = server.address() as {port: number}
        server.close(() => resolve(got))
      })
    })
  if (preferred) {
    const got = await tryPort(preferred)
    if (got) return got
  }
  return (await tryPort(0))!
}

function run(spec: ClusterSpec, tool: string, args: string[]): Promise<{code: number; output: string}> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(spec.binDir, tool), args, {
      uid: spec.runAs?.uid,
      gid: spec.runAs?.gid,
      env: {PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C', HOME: spec.dir},
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: spec.dir,
    })
    let output = ''
    child.stdout.on('data', (d) => {
      output += d
    })
    child.stderr.on('data', (d) => {
      output += d
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({code: code ?? 1, output}))
  })
}

function own(spec: ClusterSpec, path: string) {
  if (spec.runAs) chownSync(path, spec.runAs.uid, spec.runAs.gid)
}

export async function initCluster(spec: ClusterSpec): Promise<void> {
  // Parents stay traversable for the server user; the cluster directory itself is private to it.
  mkdirSync(dirname(spec.dir), {recursive: true, mode: 0o755})
  mkdirSync(spec.dir, {recursive: true, mode: 0o700})
  own(spec, spec.dir)
  const pwfile = join(spec.dir, '.pwfile')
  writeFileSync(pwfile, spec.password + '\n', {mode: 0o600})
  own(spec, pwfile)
  try {
    const result = await run(spec, 'initdb', [
      '-D',
      dataDir(spec.dir),
      '-U',
      spec.superuser,
      `--pwfile=${pwfile}`,
      '--auth-host=scram-sha-256',
      '--auth-local=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C',
      '--no-sync',
    ])
    if (result.code !== 0) throw new FluxError(`initdb failed: ${lastLines(result.output)}`, {kind: 'failed'})
  } finally {
    rmSync(pwfile, {force: true})
  }
  const settings: Record<string, string | number> = {
    listen_addresses: "'127.0.0.1'",
    port: spec.port,
    unix_socket_directories: "''",
    shared_preload_libraries: "'pg_stat_statements'",
    'pg_stat_statements.track': "'all'",
    track_io_timing: 'on',
    max_connections: 100,
    ...spec.settings,
  }
  const conf = Object.entries(settings)
    .map(([k, v]) => `${k} = ${v}`)
    .join('\n')
  const file = join(dataDir(spec.dir), 'postgresql.auto.conf')
  writeFileSync(file, readFileSync(file, 'utf8') + '\n# fluxadmin\n' + conf + '\n')
}

export async function startCluster(spec: ClusterSpec): Promise<void> {
  if (postmasterPid(dataDir(spec.dir))) return
  const log = join(spec.dir, 'server.log')
  const result = await run(spec, 'pg_ctl', [
    '-D',
    dataDir(spec.dir),
    '-l',
    log,
    '-w',
    '-t',
    '60',
    '-o',
    `-p ${spec.port}`,
    'start',
  ])
  if (result.code !== 0) {
    const tail = existsSync(log) ? lastLines(readFileSync(log, 'utf8')) : lastLines(result.output)
    throw new FluxError(`PostgreSQL did not start: ${tail}`, {kind: 'failed', hint: `see ${log}`})
  }
}

export async function stopCluster(
  spec: Pick<ClusterSpec, 'dir' | 'binDir' | 'runAs'>,
  mode: 'fast' | 'immediate' = 'fast',
): Promise<void> {
  if (!postmasterPid(dataDir(spec.dir))) return
  const result = await run(spec as ClusterSpec, 'pg_ctl', [
    '-D',
    dataDir(spec.dir),
    '-m',
    mode,
    '-w',
    '-t',
    '60',
    'stop',
  ])
  if (result.code !== 0 && postmasterPid(dataDir(spec.dir))) {
    throw new FluxError(`PostgreSQL did not stop: ${lastLines(result.output)}`, {kind: 'failed'})
  }
}

function lastLines(text: string, n = 3): string {
  return text.trim().split('\n').slice(-n).join(' | ')
}

export function clusterUrl(spec: Pick<ClusterSpec, 'superuser' | 'password' | 'port'>, database: string): string {
  return `postgres://${encodeURIComponent(spec.superuser)}:${encodeURIComponent(spec.password)}@127.0.0.1:${spec.port}/${encodeURIComponent(database)}`
}
