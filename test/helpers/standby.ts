import {spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {appendFileSync, chmodSync, chownSync, existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import pg from 'pg'
import {freePort, serverUser, startCluster, stopCluster, type ClusterSpec} from '../../src/cluster/control.js'
import {dataDir} from '../../src/cluster/postmaster.js'
import {adminUrl, freshDb, type TestDb} from './db.js'

/** A streaming standby of the test server, with its own port and a physical replication slot on the primary. */
export interface Standby {
  /** application_name on the primary (pg_stat_replication) and the slot's name. */
  name: string
  port: number
  /** The standby's URL for a database (same user and password as the primary's). */
  url(database: string): string
  /** Runs one statement on the standby (in its postgres database unless told). */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    params?: unknown[],
    database?: string,
  ): Promise<pg.QueryResult<R>>
  pauseReplay(): Promise<void>
  resumeReplay(): Promise<void>
  /** Waits until the standby has replayed everything the primary wrote so far (also asynchronous commits still in WAL buffers). */
  caughtUp(): Promise<void>
  /** Stops the server (fast shutdown); its slot stays on the primary until the end of the file. */
  stop(): Promise<void>
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export async function until(what: string, fn: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(200)
  }
}

async function once<R extends pg.QueryResultRow>(
  url: string,
  text: string,
  params: unknown[] = [],
): Promise<pg.QueryResult<R>> {
  const client = new pg.Client({connectionString: url})
  client.on('error', () => {})
  await client.connect()
  try {
    return await client.query<R>(text, params)
  } finally {
    await client.end().catch(() => {})
  }
}

function run(bin: string, args: string[], spec: ClusterSpec, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, {
      uid: spec.runAs?.uid,
      gid: spec.runAs?.gid,
      cwd: spec.dir,
      env: {PATH: process.env.PATH ?? '/usr/bin:/bin', ...env},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (d) => {
      output += d
    })
    child.stderr.on('data', (d) => {
      output += d
    })
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${bin} exited ${code}: ${output.trim()}`)),
    )
  })
}

/**
 * Starts a standby of the test server (pg_basebackup -R -X stream -c fast, with a slot), waits until
 * the primary sees it streaming, and always stops it and drops its slot after the file's tests.
 */
export async function startStandby(
  t: {after: {always: (fn: () => Promise<void>) => void}} | {teardown: (fn: () => Promise<void>) => void},
  settings: Record<string, string> = {},
): Promise<Standby> {
  const primary = new URL(adminUrl())
  const name = `standby_${randomBytes(4).toString('hex')}`
  const base = mkdtempSync(join(process.env.FLUXADMIN_TEST_DIR ?? tmpdir(), 'standby-'))
  chmodSync(base, 0o755)
  const spec: ClusterSpec = {
    dir: base,
    port: await freePort(),
    superuser: decodeURIComponent(primary.username),
    password: decodeURIComponent(primary.password),
    binDir: process.env.FLUXADMIN_TEST_PG_BIN!,
    runAs: serverUser(),
  }
  if (spec.runAs) chownSync(base, spec.runAs.uid, spec.runAs.gid)
  const url = (database: string) => {
    const u = new URL(primary.toString())
    u.port = String(spec.port)
    u.pathname = `/${database}`
    return u.toString()
  }
  const dropSlot = () =>
    once(
      adminUrl(),
      'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active',
      [name],
    )
  const cleanup = async () => {
    await stopCluster(spec, 'immediate').catch(() => {})
    await until("the standby's slot to be released", async () => {
      await dropSlot()
      return (await once(adminUrl(), 'SELECT 1 FROM pg_replication_slots WHERE slot_name = $1', [name])).rowCount === 0
    }).catch(() => {})
    rmSync(base, {recursive: true, force: true})
  }
  if ('teardown' in t) t.teardown(cleanup)
  else t.after.always(cleanup)

  await run(
    join(spec.binDir, 'pg_basebackup'),
    [
      '-h',
      primary.hostname,
      '-p',
      primary.port,
      '-U',
      spec.superuser,
      '-D',
      dataDir(base),
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
      '-C',
      '-S',
      name,
      '--no-sync',
    ],
    spec,
    {PGPASSWORD: spec.password},
  )
  chmodSync(dataDir(base), 0o700)
  const conf = {
    port: String(spec.port),
    cluster_name: `'${name}'`,
    hot_standby: 'on',
    wal_receiver_status_interval: "'1s'",
    ...settings,
  }
  appendFileSync(
    join(dataDir(base), 'postgresql.auto.conf'),
    '\n# standby\n' +
      Object.entries(conf)
        .map(([k, v]) => `${k} = ${v}`)
        .join('\n') +
      '\n',
  )
  if (!existsSync(join(dataDir(base), 'standby.signal'))) throw new Error('pg_basebackup -R wrote no standby.signal')
  await startCluster(spec)
  await until(
    'the standby to stream',
    async () =>
      (
        await once(
          adminUrl(),
          "SELECT 1 FROM pg_stat_replication WHERE application_name = $1 AND state = 'streaming'",
          [name],
        )
      ).rowCount === 1,
  )

  const standby: Standby = {
    name,
    port: spec.port,
    url,
    query: (text, params, database = 'postgres') => once(url(database), text, params),
    async pauseReplay() {
      await standby.query('SELECT pg_wal_replay_pause()')
      await until(
        'replay to pause',
        async () => (await standby.query("SELECT pg_get_wal_replay_pause_state() = 'paused' AS paused")).rows[0].paused,
      )
    },
    async resumeReplay() {
      await standby.query('SELECT pg_wal_replay_resume()')
    },
    async caughtUp() {
      const {
        rows: [{lsn}],
      } = await once(adminUrl(), 'SELECT pg_current_wal_insert_lsn()::text AS lsn')
      await until(
        'the standby to replay',
        async () => (await standby.query('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done', [lsn])).rows[0].done,
      )
    },
    async stop() {
      await stopCluster(spec, 'fast')
    },
  }
  return standby
}

/**
 * For a whole test file: a fresh database and a standby that has replayed it, handed to `ready` in
 * test.before; the standby (and its slot) and then the database go after the file's tests.
 */
export function withStandby(
  test: {before: (fn: () => Promise<void>) => void; after: {always: (fn: () => Promise<void>) => void}},
  ready: (db: TestDb, standby: Standby) => Promise<void>,
  settings: Record<string, string> = {},
): void {
  const cleanups: Array<() => Promise<void>> = []
  const later = {
    after: {
      always: (fn: () => Promise<void>) => {
        cleanups.unshift(fn)
      },
    },
  }
  test.after.always(async () => {
    for (const fn of cleanups) await fn()
  })
  test.before(async () => {
    const db = await freshDb(later)
    const standby = await startStandby(later, settings)
    await ready(db, standby)
    await standby.caughtUp()
  })
}
