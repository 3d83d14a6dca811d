import {spawn, spawnSync, type ChildProcess} from 'node:child_process'
import {
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {findServerBinaries} from '../cluster/binaries.js'
import {freePort, type OsUser} from '../cluster/control.js'
import {resolveTarget} from '../db/resolve.js'
import type {Session} from '../db/session.js'
import {ScratchSessions} from './scratch-sessions.js'
import {markThrowaway} from './throwaway.js'
import {cannotRun} from './tools.js'

/**
 * Settings that make a restored copy of the primary harmless: no archiving into the real repository,
 * TCP on 127.0.0.1 only with every TCP connection refused, the only way in a Unix socket in a private
 * directory, no log files or pid files at the primary's paths, no waiting for the primary's
 * synchronous standbys, no hot standby (so no parameter minimums from the primary), and no fsync
 * (the copy is thrown away).
 */
function safetySettings(dir: string, port: number): Record<string, string> {
  return {
    data_directory: join(dir, 'data'),
    hba_file: join(dir, 'pg_hba.conf'),
    ident_file: join(dir, 'pg_ident.conf'),
    port: String(port),
    listen_addresses: '127.0.0.1',
    unix_socket_directories: dir,
    archive_mode: 'off',
    archive_command: '',
    primary_conninfo: '',
    synchronous_standby_names: '',
    hot_standby: 'off',
    logging_collector: 'off',
    log_destination: 'stderr',
    external_pid_file: '',
    ssl: 'off',
    cluster_name: 'fluxadmin-pitr',
    fsync: 'off',
    synchronous_commit: 'off',
  }
}

/** FATAL lines of the drill's own connection attempts while the server is busy recovering. */
const CONNECTION_REFUSALS = /^the database system is /

/** The server binaries of one major version: FLUXADMIN_PG_BIN, Debian's /usr/lib/postgresql/N/bin, then the default ones. */
export async function serverBinariesFor(major: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const candidates = [env.FLUXADMIN_PG_BIN, `/usr/lib/postgresql/${major}/bin`]
  try {
    candidates.push((await findServerBinaries(env)).binDir)
  } catch {}
  for (const dir of candidates) {
    if (!dir || !existsSync(join(dir, 'postgres'))) continue
    const out = spawnSync(join(dir, 'postgres'), ['--version'], {encoding: 'utf8'})
    if (new RegExp(`\\s${major}(\\.|\\s|$)`).test(out.stdout ?? '')) return dir
  }
  throw cannotRun(
    `no PostgreSQL ${major} server binaries to start the restored cluster with`,
    `install postgresql-${major} or set FLUXADMIN_PG_BIN to its bin directory`,
  )
}

/**
 * The private temporary directory a PITR drill restores into and the server started on it. Owned by
 * the server's OS user, mode 0700; cleanup() stops the server and removes the directory, whatever happened.
 */
export class PitrServer {
  readonly dir: string
  readonly dataDir: string
  readonly log: string
  port = 0
  private child?: ChildProcess
  private exited?: Promise<void>
  private exit?: {code: number | null; signal: NodeJS.Signals | null}
  private sessions = new ScratchSessions()

  constructor(
    private runAs: OsUser | undefined,
    parent = tmpdir(),
  ) {
    this.dir = mkdtempSync(join(parent, 'fluxadmin-pitr-'))
    markThrowaway(this.dir)
    this.dataDir = join(this.dir, 'data')
    this.log = join(this.dir, 'server.log')
    mkdirSync(this.dataDir, {mode: 0o700})
    this.own(this.dir)
    this.own(this.dataDir)
  }

  private own(path: string) {
    if (this.runAs) chownSync(path, this.runAs.uid, this.runAs.gid)
  }

  private writeOwned(path: string, text: string) {
    writeFileSync(path, text, {mode: 0o600})
    this.own(path)
  }

  /** Starts postgres on the restored data directory; recovery runs in the background. */
  async start(binDir: string): Promise<void> {
    this.port = await freePort()
    this.writeOwned(
      join(this.dir, 'pg_hba.conf'),
      'local all all trust\nhost all all 0.0.0.0/0 reject\nhost all all ::/0 reject\n',
    )
    this.writeOwned(join(this.dir, 'pg_ident.conf'), '')
    // A primary whose configuration lives outside PGDATA (Debian's /etc/postgresql) restores without one.
    if (!existsSync(join(this.dataDir, 'postgresql.conf'))) this.writeOwned(join(this.dataDir, 'postgresql.conf'), '')
    const args = [
      '-D',
      this.dataDir,
      ...Object.entries(safetySettings(this.dir, this.port)).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    ]
    const fd = openSync(this.log, 'a', 0o600)
    try {
      this.child = spawn(join(binDir, 'postgres'), args, {
        uid: this.runAs?.uid,
        gid: this.runAs?.gid,
        cwd: this.dir,
        detached: true,
        env: {PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C'},
        stdio: ['ignore', fd, fd],
      })
    } finally {
      closeSync(fd)
    }
    this.exited = new Promise((resolve) => {
      this.child!.on('error', () => {
        this.exit ??= {code: 1, signal: null}
        resolve()
      })
      this.child!.on('exit', (code, signal) => {
        this.exit = {code, signal}
        resolve()
      })
    })
  }

  /** Why the server is gone (its last FATAL/PANIC lines), or undefined while it runs. */
  exitReason(): string | undefined {
    if (!this.exit) return undefined
    const lines = this.logText()
      .split('\n')
      .filter((l) => /\b(FATAL|PANIC):/.test(l))
      .map((l) => l.replace(/^.*?\b(FATAL|PANIC):\s*/, ''))
      .filter((l) => !CONNECTION_REFUSALS.test(l))
    return lines.length > 0
      ? lines.slice(-2).join('; ')
      : `postgres exited (${this.exit.signal ?? `code ${this.exit.code}`})`
  }

  logText(): string {
    try {
      return readFileSync(this.log, 'utf8')
    } catch {
      return ''
    }
  }

  /** A superuser session over the private socket. */
  async session(user: string, database: string): Promise<Session> {
    const url = `postgresql://${encodeURIComponent(user)}@/${encodeURIComponent(database)}?host=${encodeURIComponent(this.dir)}&port=${this.port}&sslmode=disable`
    return this.sessions.open(resolveTarget(url))
  }

  /** Stops the server (immediate shutdown: the copy is thrown away) and removes the directory. */
  async cleanup(): Promise<string> {
    await this.sessions.closeAll()
    const done: string[] = []
    if (this.child && !this.exit) {
      const signal = (name: NodeJS.Signals) => {
        try {
          process.kill(-this.child!.pid!, name)
        } catch {}
      }
      signal('SIGQUIT')
      const timer = setTimeout(() => signal('SIGKILL'), 30_000)
      await this.exited
      clearTimeout(timer)
      done.push('stopped the scratch server')
    }
    // rm(1) unlinks a data directory several times faster than rmSync's recursion; rmSync makes sure.
    spawnSync('rm', ['-rf', '--one-file-system', this.dir], {stdio: 'ignore'})
    rmSync(this.dir, {recursive: true, force: true})
    done.push(`removed ${this.dir}`)
    return done.join(', ')
  }
}
