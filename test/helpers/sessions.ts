import pg from 'pg'
import type {TestDb} from './db.js'

export interface Conn {
  client: pg.Client
  pid: number
}

/** An extra connection that holds or waits for locks; closed after the test. */
export async function connect(
  t: {teardown(fn: () => Promise<void>): void},
  db: TestDb,
  application = 'fa-activity-test',
): Promise<Conn> {
  const client = new pg.Client({connectionString: db.url, application_name: application})
  client.on('error', () => {})
  await client.connect()
  t.teardown(() => client.end().catch(() => {}))
  const {
    rows: [{pid}],
  } = await client.query('SELECT pg_backend_pid() AS pid')
  return {client, pid}
}

/** Starts a statement that will wait; its failure (cancel, terminate, teardown) is swallowed. */
export function background(conn: Conn, sql: string): Promise<unknown> {
  return conn.client.query(sql).catch((error: Error) => error)
}

export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`timed out waiting for ${what}`)
}

export const waitingOnLock = (db: TestDb, pids: number[]) =>
  until(async () => {
    const {rows} = await db.pg.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ANY ($1) AND wait_event_type = 'Lock'",
      [pids],
    )
    return rows[0].n === pids.length
  }, `pids ${pids} to wait on a lock`)

/** A lock pile-up: `psql` holds `LOCK TABLE table IN ACCESS EXCLUSIVE MODE` idle in its transaction, ten `app` sessions queue behind it. */
export async function lockPileUp(
  t: {teardown(fn: () => Promise<void>): void},
  db: TestDb,
  table: string,
): Promise<{holder: Conn; waiters: Conn[]}> {
  const holder = await connect(t, db, 'psql')
  await holder.client.query(`BEGIN; LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`)
  const waiters = await Promise.all(Array.from({length: 10}, () => connect(t, db, 'app')))
  for (const w of waiters) void background(w, `SELECT count(*) FROM ${table}`)
  await waitingOnLock(
    db,
    waiters.map((w) => w.pid),
  )
  return {holder, waiters}
}
