import test from 'ava'
import pg from 'pg'
import {explainRunning} from '../src/activity/explain-running.js'
import {listBlocking, listLocks} from '../src/activity/locks.js'
import {fetchSessions, listSessions} from '../src/activity/sessions.js'
import {guardFigure} from '../src/db/lock-guard.js'
import {inTransaction} from '../src/db/transaction.js'
import {runHealthCheck} from '../src/health/check.js'
import {settingsReport} from '../src/health/settings.js'
import {bloatEstimates, vacuumStatus} from '../src/health/vacuum.js'
import {tableRowCounts} from '../src/schema/tables.js'
import {diagnosticRows} from '../src/stats/diagnostics.js'
import {runCli} from './helpers/cli.js'
import {freshDb, type TestDb} from './helpers/db.js'
import {background, connect, lockPileUp, until, waitingOnLock} from './helpers/sessions.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Polls pg_locks every few milliseconds for a lock that a fluxadmin session waits for, until stopped. */
function watchWaiters(t: {teardown(fn: () => Promise<void>): void}, db: TestDb) {
  const seen: string[] = []
  let stopped = false
  const client = new pg.Client({connectionString: db.url, application_name: 'fa-lock-watch'})
  client.on('error', () => {})
  const done = (async () => {
    await client.connect()
    while (!stopped) {
      const {rows} =
        await client.query(`SELECT l.pid, l.mode, l.relation::regclass::text AS relation FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                                         WHERE NOT l.granted AND a.application_name = 'fluxadmin' AND a.datname = current_database()`)
      seen.push(...rows.map((r) => `${r.pid} ${r.mode} ${r.relation}`))
      await sleep(10)
    }
  })()
    .catch(() => {})
    .finally(() => client.end().catch(() => {}))
  const stop = async () => {
    stopped = true
    await done
  }
  t.teardown(stop)
  return {seen, stop}
}

/**
 * What a command may take behind the lock. Before, each waited the whole statement timeout (10 min here); on a quiet
 * machine each takes 0.5-1 s (docs/dashboard.md), but a CI host running other suites at once has been seen to need
 * 14 s for a whole `dashboard --once`, and a full suite on two cores 40 s for `stats tenants`: wall time only tells
 * waiting from not waiting. That nothing waited is what pg_locks shows, and the reads in this process must each
 * take under IN_PROCESS_MS, half the 30 s statement timeout they would otherwise wait out (a tick took 5.6 s at a
 * load average of 35).
 */
const BOUND_MS = 120_000
const IN_PROCESS_MS = 15_000

async function timed(args: string[]) {
  const started = Date.now()
  const result = await runCli([...args, '--statement-timeout', '10min'])
  return {...result, ms: Date.now() - started}
}

test('lock pile-up on messages: every diagnostic answers at once, names the holder, and adds no waiter', async (t) => {
  t.timeout(8 * 60_000)
  const db = await freshDb(t)
  const {holder, waiters} = await lockPileUp(t, db, 'messages')
  const watch = watchWaiters(t, db)
  const url = ['--db-url', db.url]
  const holderNamed = new RegExp(
    `pid ${holder.pid} \\(user \\w+, application psql, idle in transaction, transaction open [^)]+\\) holds AccessExclusiveLock on public\\.messages`,
  )

  const dashboard = await timed(['dashboard', '--once', '--format', 'json', ...url])
  t.is(dashboard.code, 0, dashboard.stderr)
  const panes = JSON.parse(dashboard.stdout)
  // The tick's own transaction (every pane); the command as a whole adds its 1 s sample, start-up and connecting.
  t.true(panes.overview.db_ms < IN_PROCESS_MS, `the tick took ${panes.overview.db_ms} ms`)
  t.true(dashboard.ms < BOUND_MS + 1000, `dashboard --once took ${dashboard.ms} ms`)
  t.deepEqual(panes.tenants, [], 'the tenants pane is skipped')
  t.regex(dashboard.stderr, /tenants pane skipped: /)
  t.regex(dashboard.stderr, holderNamed)
  t.true(
    waiters.every((w) => panes.activity.some((r: {pid: number}) => r.pid === w.pid)),
    'the activity pane lists every waiter',
  )
  t.true(
    panes.locks.some((r: {pid: number; depth: number}) => r.pid === holder.pid && r.depth === 0),
    'the lock tree has the holder at its root',
  )

  // The other diagnostics in this process (no start-up to wait for), with the sessions' default 30 s statement timeout.
  const session = await db.session()
  const reads: Array<[string, () => Promise<unknown>]> = [
    ['activity', () => listSessions(session)],
    ['locks', () => listLocks(session)],
    ['locks --blocking', () => listBlocking(session)],
    ['health check', () => runHealthCheck(async () => session)],
    ['health settings', () => settingsReport(session)],
    ['vacuum status', () => vacuumStatus(session)],
    ['vacuum bloat', () => bloatEstimates(session)],
    ['stats seq-scans', () => diagnosticRows(session, 'seq-scans')],
    ['db tables', () => tableRowCounts(session)],
    ['stats duplicate-indexes', () => diagnosticRows(session, 'duplicate-indexes')],
  ]
  const results = new Map<string, unknown>()
  for (const [name, read] of reads) {
    const started = Date.now()
    results.set(name, await read())
    t.true(Date.now() - started < IN_PROCESS_MS, `${name} took ${Date.now() - started} ms`)
  }
  const counted = results.get('db tables') as Awaited<ReturnType<typeof tableRowCounts>>
  t.false(counted.rows.some((r) => r.table_name === 'messages'))
  t.true(counted.rows.some((r) => r.table_name === 'users'))
  t.regex(counted.skipped.join('\n'), holderNamed)
  t.regex((results.get('stats duplicate-indexes') as {skipped: string[]}).skipped.join('\n'), holderNamed)
  const health = results.get('health check') as Awaited<ReturnType<typeof runHealthCheck>>
  t.false(
    health.checks.some((c) => c.state === 'UNKNOWN'),
    JSON.stringify(health.checks.filter((c) => c.state === 'UNKNOWN')),
  )

  const sizes = await timed(['stats', 'table-size', '--format', 'json', ...url])
  t.true(sizes.ms < BOUND_MS, `stats table-size took ${sizes.ms} ms`)
  t.is(sizes.code, 0, sizes.stderr)
  const sized = JSON.parse(sizes.stdout).map((r: {table_name: string}) => r.table_name)
  t.false(sized.includes('messages'))
  t.true(sized.includes('users'), 'the other tables are sized')
  t.regex(sizes.stderr, /stats table-size of public\.messages skipped: /)
  t.regex(sizes.stderr, holderNamed)

  const status = await timed(['db', 'status', '--format', 'json', ...url])
  t.true(status.ms < BOUND_MS, `db status took ${status.ms} ms`)
  t.is(status.code, 3, 'drift not checked: UNKNOWN')
  t.regex(status.stderr, /drift check skipped: /)
  t.true(
    JSON.parse(status.stdout).some(
      (r: {item: string; state: string}) => r.item === 'migration' && r.state === 'applied',
    ),
  )

  const tenants = await timed(['stats', 'tenants', ...url])
  t.true(tenants.ms < BOUND_MS, `stats tenants took ${tenants.ms} ms`)
  t.is(tenants.code, 6)
  t.regex(tenants.stderr, new RegExp(`stats tenants not read, so as not to wait behind a lock: pid ${holder.pid} `))
  t.regex(tenants.stderr, new RegExp(`Hint: .*fluxadmin backend terminate ${holder.pid}`))

  await watch.stop()
  t.deepEqual(watch.seen, [], 'no fluxadmin session ever waited for a lock')
  const {
    rows: [{n}],
  } = await db.pg.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
  t.is(n, 10, 'the ten waiters still wait, and no one else')
})

test('a read that meets a lock it did not look for: skipped after lock_timeout, with the holder, and the transaction goes on', async (t) => {
  const db = await freshDb(t)
  const reader = await connect(t, db)
  await reader.client.query('BEGIN; SELECT count(*) FROM files')
  const alter = await connect(t, db, 'migrator')
  // ALTER TABLE queues for ACCESS EXCLUSIVE behind the open read: every later read of files queues behind the ALTER.
  void background(alter, 'ALTER TABLE files ADD COLUMN x int')
  await waitingOnLock(db, [alter.pid])
  const session = await db.session()
  const started = Date.now()
  const result = await inTransaction(session, 'diagnostic', async (client) => {
    const skipped = await guardFigure(
      client,
      'file count',
      async () => (await client.query('SELECT count(*) FROM files')).rows,
    )
    const after = (await client.query('SELECT 1 AS one')).rows[0].one
    return {skipped, after}
  })
  t.true(Date.now() - started < IN_PROCESS_MS, `took ${Date.now() - started} ms`)
  t.regex(
    result.skipped.skipped ?? '',
    new RegExp(
      `^file count skipped: pid ${alter.pid} \\(user \\w+, application migrator, active, [^)]+\\) waits [\\d.]+m?s for AccessExclusiveLock on public\\.files, and reads queue behind it$`,
    ),
  )
  t.is(result.after, 1)

  // Without the guard the statement fails at once with the holder named, and no statement timeout is waited for.
  const error = await inTransaction(session, 'diagnostic', async (client) =>
    client.query('SELECT count(*) FROM files'),
  ).catch((e: Error) => e)
  t.regex(String(error), new RegExp(`could not read without waiting behind a lock: pid ${alter.pid} `))
})

test('activity loses no session whose query started after its transaction began (busy short queries)', async (t) => {
  const db = await freshDb(t)
  const session = await db.session()
  // Deterministic: a query that starts while the read's transaction is open (the dashboard reads its overview first).
  const late = await connect(t, db, 'late')
  const seen = await inTransaction(session, 'diagnostic', async (client) => {
    await sleep(300)
    void background(late, 'SELECT pg_sleep(3)')
    await until(
      async () =>
        (await db.pg.query('SELECT state FROM pg_stat_activity WHERE pid = $1', [late.pid])).rows[0]?.state ===
        'active',
      'the late query',
    )
    return fetchSessions(client)
  })
  t.true(
    seen.some((r) => r.pid === late.pid && (r.duration_s ?? -1) >= 0),
    'the late query is listed, with a duration >= 0',
  )
  await db.pg.query('SELECT pg_cancel_backend($1)', [late.pid])

  // Bounded load: six clients running 5 ms queries back to back for about two seconds.
  const clients = await Promise.all(Array.from({length: 6}, () => connect(t, db, 'busy')))
  let running = true
  const loops = clients.map(async (c) => {
    while (running) await c.client.query('SELECT pg_sleep(0.005)')
  })
  const missing: number[] = []
  for (let sample = 0; sample < 8; sample++) {
    const rows = await listSessions(session, {includeIdle: true, application: 'busy'})
    const {rows: shown} = await db.pg.query("SELECT pid FROM pg_stat_activity WHERE application_name = 'busy'")
    for (const {pid} of shown) if (!rows.some((r) => r.pid === pid)) missing.push(pid)
    await sleep(200)
  }
  running = false
  await Promise.all(loops)
  t.deepEqual(missing, [], 'every sample lists every busy session pg_stat_activity shows')
})

test('Enter on a statement EXPLAIN does not take says so plainly; a plan behind a lock names the holder', async (t) => {
  const db = await freshDb(t)
  const session = await db.session()
  for (const statement of [
    'LOCK TABLE messages IN ACCESS EXCLUSIVE MODE',
    'VACUUM messages',
    'COPY messages TO STDOUT',
    '/* app */ SET search_path = public',
    'BEGIN',
  ]) {
    const plan = await explainRunning(session, statement)
    t.regex(
      (plan as {reason: string}).reason,
      /^no plan: EXPLAIN takes only SELECT, INSERT, UPDATE, DELETE, MERGE, VALUES, EXECUTE, DECLARE and CREATE TABLE AS statements, not [A-Z]+$/,
      statement,
    )
  }
  t.regex(((await explainRunning(session, 'lock table messages')) as {reason: string}).reason, /, not LOCK$/)
  for (const statement of [
    '(SELECT 1)',
    '-- hi\nWITH x AS (SELECT 1) SELECT * FROM x',
    'CREATE TABLE t AS SELECT 1',
    'MERGE INTO users u USING users s ON u.id = s.id WHEN MATCHED THEN DO NOTHING',
  ]) {
    t.true('plan' in (await explainRunning(session, statement)), statement)
  }
  const holder = await connect(t, db, 'psql')
  await holder.client.query('BEGIN; LOCK TABLE messages IN ACCESS EXCLUSIVE MODE')
  const started = Date.now()
  const blocked = await explainRunning(session, 'SELECT count(*) FROM messages')
  t.true(Date.now() - started < IN_PROCESS_MS)
  t.regex(
    (blocked as {reason: string}).reason,
    new RegExp(`^no plan: could not read without waiting behind a lock: pid ${holder.pid} `),
  )
})
