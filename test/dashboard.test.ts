import test from 'ava'
import pg from 'pg'
import {parse} from 'csv-parse/sync'
import {createPoller} from '../src/dashboard/poller.js'
import {PANE_COLUMNS} from '../src/dashboard/snapshot.js'
import {capabilities, newMemory, runTick} from '../src/dashboard/tick.js'
import type {PollerState} from '../src/dashboard/types.js'
import {runCli} from './helpers/cli.js'
import {createDb, dropDb, freshDb, urlFor, type TestDb} from './helpers/db.js'

/** Two organizations; acme has 5 messages and 1 upload in the last 5 minutes and 2 more messages 30 minutes ago. */
async function fixtures(db: TestDb) {
  await db.pg.query(`
    WITH u AS (INSERT INTO users (email, name, user_type) VALUES ('dash@example.com', 'Dash', 'admin') RETURNING id),
    o AS (INSERT INTO organizations (name, slug, type, created_by) SELECT v.name, v.slug, 'independent', u.id FROM u, (VALUES ('Acme', 'acme'), ('Quiet', 'quiet')) v(name, slug) RETURNING id, slug),
    c AS (INSERT INTO conversations (organization_id, name) SELECT id, slug FROM o RETURNING id, organization_id, name),
    m AS (INSERT INTO messages (conversation_id, author_id, content, created_at)
          SELECT c.id, u.id, 'hi', now() - CASE WHEN k <= 5 THEN interval '1 minute' ELSE interval '30 minutes' END
          FROM c, u, generate_series(1, 7) k WHERE c.name = 'acme'
          UNION ALL SELECT c.id, u.id, 'old', now() - interval '2 hours' FROM c, u WHERE c.name = 'quiet' RETURNING 1)
    INSERT INTO files (name, original_name, file_path, file_url, mime_type, file_size, organization_id, uploaded_by)
    SELECT 'a.png', 'a.png', '/a', 'https://x/a', 'image/png', 10, o.id, u.id FROM o, u WHERE o.slug = 'acme'`)
}

test('one tick: tenants, per-tick top queries and rates, lock tree, all in one read-only transaction', async (t) => {
  const db = await freshDb(t)
  await fixtures(db)
  const session = await db.session()
  const caps = await capabilities(session)
  const {
    rows: [{extversion}],
  } = await db.pg.query("SELECT extversion FROM pg_extension WHERE extname = 'pg_stat_statements'")
  t.deepEqual(caps, {has_statements: true, statements_version: extversion, has_tenants: true})
  const memory = newMemory()
  const first = await runTick(session, memory, {filter: {}, caps})
  t.is(first.overview.xacts_per_s, null, 'no rate on the first tick')
  t.deepEqual(first.topQueries, [], 'no deltas on the first tick')
  t.like(first.tenants?.[0], {slug: 'acme', messages_5m: 5, messages_1h: 7, files_5m: 1, files_1h: 1})
  t.is(first.tenants?.length, 1, 'quiet has nothing in the last hour')

  for (let i = 0; i < 3; i++) await db.pg.query('SELECT 42 AS dashboard_marker_query')
  // PostgreSQL 15 flushes a backend's counters to pg_stat_database at most once a second: ask for it now.
  await db.pg.query('SELECT pg_stat_force_next_flush()')
  await db.pg.query('SELECT current_database()')
  const {
    rows: [{queryid: markerId}],
  } = await db.pg.query(
    "SELECT queryid::text FROM pg_stat_statements WHERE query LIKE '%dashboard_marker_query%' AND query NOT LIKE '%pg_stat_statements%' AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())",
  )
  const holder = new pg.Client({connectionString: db.url, application_name: 'fa-dash-holder'})
  const waiter = new pg.Client({connectionString: db.url, application_name: 'fa-dash-waiter'})
  await holder.connect()
  await waiter.connect()
  t.teardown(async () => {
    await holder.end().catch(() => {})
    await waiter.end().catch(() => {})
  })
  await holder.query('BEGIN; LOCK TABLE organizations IN EXCLUSIVE MODE')
  const waiting = waiter.query('BEGIN; LOCK TABLE organizations IN EXCLUSIVE MODE').catch((e) => e)
  const {
    rows: [{pid: waiterPid}],
  } = await db.pg.query("SELECT pid FROM pg_stat_activity WHERE application_name = 'fa-dash-waiter'")
  const {
    rows: [{pid: holderPid}],
  } = await db.pg.query("SELECT pid FROM pg_stat_activity WHERE application_name = 'fa-dash-holder'")
  for (
    let i = 0;
    i < 100 &&
    (await db.pg.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'", [waiterPid]))
      .rowCount === 0;
    i++
  )
    await new Promise((r) => setTimeout(r, 50))

  // Other test files run statements at the same time: keep every statement, not only the top 50.
  const second = await runTick(session, memory, {filter: {database: db.name}, caps, topLimit: 100_000})
  t.is(second.tick, 2)
  t.true(second.overview.xacts_per_s! > 0)
  t.true(second.overview.connections >= 3)
  // The query id ignores column aliases: every `SELECT <constant>` in any database shares it, so match the database too.
  const marker = second.topQueries?.find((q) => q.queryid === markerId && q.database === db.name)
  t.like(marker, {calls: 3, rows: 3})
  t.true(marker!.calls_per_s > 0)
  t.like(
    second.activity.find((r) => r.pid === waiterPid),
    {blocked_by: [holderPid]},
  )
  t.like(
    second.lockTree.find((r) => r.pid === waiterPid),
    {parent: holderPid, depth: 1, waiting_mode: 'ExclusiveLock', relation: 'organizations'},
  )
  t.true(second.db_ms > 0)
  // pg_activity's header figures; the test server runs on this machine, so /proc gives memory, load and per-process figures.
  t.true(second.overview.db_size_bytes > 0)
  t.true(second.overview.sessions_waiting >= 1, 'the waiter waits on a lock')
  t.true(second.overview.max_autovacuum_workers > 0)
  t.true(second.overview.system!.mem_total_bytes > 0)
  const waiterRow = second.activity.find((r) => r.pid === waiterPid)!
  t.true(waiterRow.mem_pct! > 0)
  t.is(waiterRow.cpu_pct, null, 'no CPU% before a second sample of the process')
  // fluxadmin's own statements ran on both ticks (the overview, sessions, statements reads): none is listed.
  // Of this database only: a query id ignores comments and schema names, so a tagged set_config in another database
  // shares its id with an untagged `SELECT pg_catalog.set_config(...)` another client ran here, which is not fluxadmin's.
  const {rows: own} = await db.pg.query(
    "SELECT DISTINCT queryid::text FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = current_database() AND query LIKE '/* fluxadmin */%'",
  )
  t.true(own.length >= 3)
  const ownIds = new Set(own.map((r) => r.queryid))
  t.deepEqual(
    second.topQueries!.filter((q) => ownIds.has(q.queryid) || q.query?.startsWith('/* fluxadmin */')),
    [],
  )
  t.true(second.topQueries!.length > 0)
  const idleOwn = await db.session()
  t.false(
    second.activity.some((r) => r.application === 'fluxadmin' && r.blocked_by.length === 0 && r.blocking.length === 0),
  )
  const third = await runTick(session, memory, {
    filter: {database: db.name, includeIdle: true},
    caps,
    topLimit: 100_000,
  })
  t.false(
    third.activity.some((r) => r.pid === (idleOwn.client as unknown as {processID: number}).processID),
    'an idle fluxadmin session is not listed',
  )
  t.true(
    third.activity.some((r) => r.application === 'fa-dash-holder'),
    'other idle sessions are',
  )
  t.is(typeof third.activity.find((r) => r.pid === waiterPid)?.cpu_pct, 'number', 'CPU% over the tick')
  await holder.query('ROLLBACK')
  await waiting
})

test('rates count only databases present on both ticks: dropping a busy database does not zero them', async (t) => {
  const db = await freshDb(t)
  const busy = `${db.name}_busy`
  await createDb(busy, null)
  const client = new pg.Client({connectionString: urlFor(busy)})
  await client.connect()
  for (let i = 0; i < 300; i++) await client.query('SELECT 1')
  await client.query('SELECT pg_stat_force_next_flush()')
  await client.query('SELECT 1')
  await client.end()
  const session = await db.session()
  const caps = await capabilities(session)
  const memory = newMemory()
  await runTick(session, memory, {filter: {}, caps})
  await dropDb(busy)
  for (let i = 0; i < 5; i++) await db.pg.query('SELECT 1')
  await db.pg.query('SELECT pg_stat_force_next_flush()')
  await db.pg.query('SELECT 1')
  const second = await runTick(session, memory, {filter: {}, caps})
  t.true(second.overview.xacts_per_s! > 0, 'the 300 transactions of the dropped database are not subtracted')
})

test('Activity shows a working fluxadmin session (an export, a purge) and leaves out idle ones', async (t) => {
  const db = await freshDb(t)
  const working = new pg.Client({connectionString: db.url, application_name: 'fluxadmin'})
  const idle = new pg.Client({connectionString: db.url, application_name: 'fluxadmin'})
  await working.connect()
  await idle.connect()
  t.teardown(async () => {
    await working.end().catch(() => {})
    await idle.end().catch(() => {})
  })
  const {
    rows: [{pid: workingPid}],
  } = await working.query('SELECT pg_backend_pid() AS pid')
  const {
    rows: [{pid: idlePid}],
  } = await idle.query('SELECT pg_backend_pid() AS pid')
  const sleeping = working.query('/* fluxadmin */ SELECT pg_sleep(30)').catch((e) => e)
  for (
    let i = 0;
    i < 100 &&
    (await db.pg.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = 'active'", [workingPid])).rowCount ===
      0;
    i++
  )
    await new Promise((r) => setTimeout(r, 50))
  const session = await db.session()
  const caps = await capabilities(session)
  const tick = await runTick(session, newMemory(), {filter: {database: db.name, includeIdle: true}, caps})
  const pids = tick.activity.map((r) => r.pid)
  t.true(pids.includes(workingPid), 'the running statement is listed')
  t.false(pids.includes(idlePid), 'the idle session is not')
  await db.pg.query('SELECT pg_cancel_backend($1)', [workingPid])
  await sleeping
})

test('dashboard --once --format json is one object with a key per pane; ndjson one line per item; --pane keeps one pane and its columns', async (t) => {
  const db = await freshDb(t)
  await fixtures(db)
  // A workload for Top queries (fluxadmin's own statements are not listed).
  const busy = setInterval(() => db.pg.query('SELECT 42 AS dashboard_busy').catch(() => {}), 20)
  const result = await runCli(['dashboard', '--once', '--db-url', db.url, '--format', 'json'])
  clearInterval(busy)
  t.is(result.code, 0, result.stderr)
  const snapshot = JSON.parse(result.stdout) as Record<string, Array<Record<string, unknown>>> & {
    overview: Record<string, unknown>
  }
  t.deepEqual(Object.keys(snapshot), ['overview', 'activity', 'locks', 'top_queries', 'tenants'])
  t.deepEqual(Object.keys(snapshot.overview), PANE_COLUMNS.overview)
  t.regex(String(snapshot.overview.server_version), /^1\d/)
  t.is(typeof snapshot.overview.xacts_per_s, 'number', 'rates over the 1 s sample')
  t.like(snapshot.tenants[0], {slug: 'acme', messages_5m: 5, messages_1h: 7, files_5m: 1, files_1h: 1})
  t.deepEqual(Object.keys(snapshot.tenants[0]), PANE_COLUMNS.tenants, 'no columns of other panes')
  t.true(snapshot.top_queries.some((r) => typeof r.mean_ms === 'number'))
  for (const pane of ['activity', 'locks', 'top_queries', 'tenants']) t.true(Array.isArray(snapshot[pane]), pane)

  const nd = await runCli(['dashboard', '--once', '--db-url', db.url, '--format', 'ndjson'])
  const lines = nd.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
  t.is(lines.filter((l) => l.pane === 'overview').length, 1)
  t.true(lines.some((l) => l.pane === 'tenants' && l.slug === 'acme'))
  t.true(lines.every((l) => typeof l.pane === 'string'))

  // Not a terminal: the snapshot is the default, here as CSV with only the tenants' columns.
  const csv = await runCli(['dashboard', '--db-url', db.url, '--pane', 'tenants'])
  t.is(csv.code, 0, csv.stderr)
  const parsed = parse(csv.stdout, {columns: true})
  t.deepEqual(Object.keys(parsed[0]), ['pane', ...PANE_COLUMNS.tenants])
  t.is(parsed[0].slug, 'acme')

  const bad = await runCli(['dashboard', '--once', '--interval', '0', '--db-url', db.url])
  t.is(bad.code, 2)
  t.regex(bad.stderr, /^Error: invalid --interval "0"\nHint: seconds between 0.5 and 60/)
})

test('the poller shows a dropped connection and reconnects on its own', async (t) => {
  const db = await freshDb(t)
  const sessions: number[] = []
  const poller = createPoller({
    connect: async () => {
      const s = await db.session()
      sessions.push((s.client as unknown as {processID: number}).processID)
      return s
    },
    intervalMs: 500,
    filter: {},
  })
  t.teardown(() => poller.stop())
  const states: PollerState[] = []
  poller.subscribe((s) => states.push(s))
  const waitFor = async (check: (s: PollerState) => boolean, what: string) => {
    for (let i = 0; i < 300; i++) {
      if (states.some(check)) return
      await new Promise((r) => setTimeout(r, 50))
    }
    t.fail(`timed out waiting for ${what}`)
  }
  await waitFor((s) => s.connected && Boolean(s.data), 'the first tick')
  await db.pg.query('SELECT pg_terminate_backend($1)', [sessions[0]])
  await waitFor((s) => !s.connected && /connection|terminat/i.test(s.error ?? ''), 'the error')
  const lost = states.findIndex((s) => !s.connected)
  t.truthy(states[lost].retryAt, 'a retry is scheduled')
  states.length = 0
  await waitFor((s) => s.connected && !s.error && Boolean(s.data), 'the reconnect')
  t.is(sessions.length, 2)
  t.not(sessions[1], sessions[0])
})

test("Enter's plan: a plain EXPLAIN of a running statement never runs it; bind parameters and a second statement give a reason", async (t) => {
  const db = await freshDb(t)
  await fixtures(db)
  const session = await db.session()
  const {explainRunning} = await import('../src/activity/explain-running.js')
  const plan = await explainRunning(session, 'DELETE FROM organizations')
  t.true('plan' in plan && plan.plan.some((l) => /Delete on organizations/.test(l)), JSON.stringify(plan))
  t.is((await db.pg.query('SELECT count(*)::int AS n FROM organizations')).rows[0].n, 2, 'nothing was deleted')
  t.regex(
    ((await explainRunning(session, 'SELECT * FROM users WHERE id = $1')) as {reason: string}).reason,
    /takes 1 bind parameter/,
  )
  t.regex(
    ((await explainRunning(session, 'SELECT 1; DELETE FROM organizations')) as {reason: string}).reason,
    /^no plan: .*multiple commands/,
  )
  t.is((await db.pg.query('SELECT count(*)::int AS n FROM organizations')).rows[0].n, 2)
})
