import test from 'ava'
import pg from 'pg'
import {runHealthCheck, type HealthOptions} from '../src/health/check.js'
import {runCli} from './helpers/cli.js'
import {freshDb, type TestDb} from './helpers/db.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function verdict(db: TestDb, options: HealthOptions) {
  const report = await runHealthCheck(() => db.session(), options)
  return {exitCode: report.exitCode, row: (name: string) => report.checks.find((c) => c.check === name)!}
}

async function until(fn: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 200; i++) {
    if (await fn()) return
    await sleep(100)
  }
  throw new Error(`timed out waiting for ${what}`)
}

const deadTuples = async (db: TestDb, table: string) =>
  Number(
    (await db.pg.query('SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = $1', [table])).rows[0]?.n_dead_tup,
  )

test('dead_tuples after a statistics reset: live tuples from reltuples, not 100% dead', async (t) => {
  const db = await freshDb(t)
  await db.pg.query(`CREATE TABLE orders (id int PRIMARY KEY, amount int) WITH (autovacuum_enabled = false);
    INSERT INTO orders SELECT g, 1 FROM generate_series(1, 60000) g; ANALYZE orders`)
  await db.pg.query("SELECT pg_stat_reset_single_table_counters('orders'::regclass)")
  await db.pg.query('UPDATE orders SET amount = 2 WHERE id <= 10000')
  await db.pg.query('SELECT pg_stat_force_next_flush()')
  await until(async () => (await deadTuples(db, 'orders')) === 10000, 'dead tuple statistics')
  const r = await verdict(db, {only: ['dead_tuples']})
  t.is(r.row('dead_tuples').value, 14.3)
  t.is(r.exitCode, 0)
  t.regex(r.row('dead_tuples').detail, /^public\.orders: 10000 dead of 70000 tuples, autovacuum disabled/)
})

test('bloat: a mass delete and vacuum leaves wasted pages; bytes and ratio page, and vacuum bloat agrees', async (t) => {
  const db = await freshDb(t)
  await db.pg.query(`CREATE TABLE events_log (id int, payload text) WITH (autovacuum_enabled = false);
    INSERT INTO events_log SELECT g, repeat('p', 120) FROM generate_series(1, 200000) g;
    DELETE FROM events_log WHERE id % 10 <> 0`)
  await db.pg.query('VACUUM events_log')
  await db.pg.query('ANALYZE events_log')
  const r = await verdict(db, {only: ['bloat', 'bloat_ratio'], warn: ['bloat=10MB']})
  t.is(r.exitCode, 2)
  t.is(r.row('bloat').state, 'WARNING')
  t.true(r.row('bloat').value! > 10 * 1024 * 1024)
  t.is(r.row('bloat').unit, 'bytes')
  t.regex(
    r.row('bloat').detail,
    /worst: table public\.events_log wastes [\d.]+ MB of [\d.]+ MB \(\d+(\.\d)?%, estimated from statistics\); pg_repack or VACUUM FULL public\.events_log/,
  )
  t.is(r.row('bloat_ratio').state, 'CRITICAL')
  t.true(r.row('bloat_ratio').value! > 80)
  const listed = JSON.parse((await runCli(['vacuum', 'bloat', '--db-url', db.url, '--format', 'json'])).stdout)
  t.is(listed[0].wasted_bytes, r.row('bloat').value)
  const nagios = await runCli([
    'health',
    'check',
    '--db-url',
    db.url,
    '--only',
    'bloat',
    '--warn',
    'bloat=10MB',
    '--format',
    'nagios',
  ])
  t.regex(nagios.stdout, /\| 'bloat'=\d+B;10485760;5368709120;0\n$/)
  const badSize = await runCli(['health', 'check', '--db-url', db.url, '--warn', 'bloat=10XB'])
  t.is(badSize.code, 2)
  t.regex(badSize.stderr, /Hint: use a size: 500MB, 10GB/)
})

test('disabled_triggers: a disabled updated_at trigger pages and is drift in db status', async (t) => {
  const db = await freshDb(t)
  t.like((await verdict(db, {only: ['disabled_triggers']})).row('disabled_triggers'), {
    state: 'OK',
    value: 0,
    detail: 'no disabled triggers',
  })
  await db.pg.query('ALTER TABLE users DISABLE TRIGGER update_users_updated_at')
  const r = await runCli(['health', 'check', '--db-url', db.url, '--only', 'disabled_triggers', '--format', 'json'])
  t.is(r.code, 1, r.stderr)
  t.like(JSON.parse(r.stdout)[0], {
    state: 'WARNING',
    value: 1,
    detail: 'disabled: update_users_updated_at on users; ALTER TABLE ... ENABLE TRIGGER them',
  })
  const status = await runCli(['db', 'status', '--db-url', db.url, '--format', 'json'])
  t.is(status.code, 2, status.stderr)
  const drift = JSON.parse(status.stdout).find(
    (row: {item: string; name: string}) => row.item === 'trigger' && row.name === 'users.update_users_updated_at',
  )
  t.like(drift, {state: 'changed'})
  t.regex(drift.detail, /found .+ \(disabled\)$/)
})

test('sequences: fluxadmin\'s own schema is left out; unused sequences say "no sequence above 0%"', async (t) => {
  const db = await freshDb(t)
  await db.pg.query(
    "CREATE SEQUENCE fluxadmin.internal_seq MAXVALUE 10; SELECT setval('fluxadmin.internal_seq', 9); CREATE SEQUENCE public.a_seq; CREATE SEQUENCE public.b_seq",
  )
  const r = await verdict(db, {only: ['sequences']})
  t.is(r.exitCode, 0)
  t.is(r.row('sequences').value, 0)
  t.regex(r.row('sequences').detail, /^no sequence above 0% \(\d+ sequences\)$/)
})

test('replication_slots: an inactive slot that retains nothing is OK; one retaining WAL pages in bytes', async (t) => {
  const db = await freshDb(t)
  const name = `fa_${db.name}`
  await db.pg.query('SELECT pg_create_physical_replication_slot($1, false)', [`${name}_idle`])
  t.teardown(() =>
    db.pg.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name LIKE $1', [
      `${name}%`,
    ]),
  )
  const idle = await verdict(db, {only: ['replication_slots'], warn: ['replication_slots=0']})
  t.is(idle.row('replication_slots').state, 'OK')
  await db.pg.query('SELECT pg_create_physical_replication_slot($1, true)', [`${name}_kept`])
  await db.pg.query("CREATE TABLE wal_maker AS SELECT g, repeat('w', 100) AS pad FROM generate_series(1, 20000) g")
  const kept = await verdict(db, {only: ['replication_slots'], warn: ['replication_slots=100kB']})
  t.is(kept.exitCode, 1)
  t.true(kept.row('replication_slots').value! > 100 * 1024)
  t.regex(
    kept.row('replication_slots').detail,
    new RegExp(`${name}_kept \\(physical, inactive\\) retains [\\d.]+ (kB|MB)`),
  )
  t.notRegex(kept.row('replication_slots').detail, new RegExp(`${name}_idle`))
})

test('activity checks see every database by default, name it with the client and query, and --db narrows them', async (t) => {
  const [here, there] = await Promise.all([freshDb(t), freshDb(t)])
  const idle = new pg.Client({connectionString: there.url})
  await idle.connect()
  t.teardown(() => idle.end().catch(() => {}))
  await idle.query('BEGIN')
  await idle.query("SELECT 'left open' AS marker")
  await sleep(1200)
  const all = await verdict(here, {
    only: ['idle_in_transaction', 'long_transactions'],
    warn: ['idle_in_transaction=1s'],
  })
  t.is(all.row('idle_in_transaction').state, 'WARNING')
  t.true(all.row('idle_in_transaction').value! >= 1)
  const named = await verdict(here, {only: ['idle_in_transaction'], db: there.name})
  t.regex(
    named.row('idle_in_transaction').detail,
    new RegExp(
      `^1 idle-in-transaction session\\(s\\); longest: pid \\d+ \\(postgres\\) in ${there.name} from 127\\.0\\.0\\.1:\\d+ idle for .+ after: SELECT 'left open' AS marker;`,
    ),
  )
  const narrowed = await runCli([
    'health',
    'check',
    '--db-url',
    here.url,
    '--only',
    'activity',
    '--db',
    here.name,
    '--format',
    'json',
  ])
  t.is(narrowed.code, 0, narrowed.stderr)
  t.like(
    JSON.parse(narrowed.stdout).find((c: {check: string}) => c.check === 'idle_in_transaction'),
    {value: null, detail: 'no idle-in-transaction sessions'},
  )
  await idle.query('ROLLBACK')
})

test("database_growth: bytes per day since a stat snapshot; skipped without fluxadmin's tables; stats snapshot records the size", async (t) => {
  const [db, bare] = await Promise.all([freshDb(t), freshDb(t, {migrated: false})])
  t.like((await verdict(bare, {only: ['database_growth']})).row('database_growth'), {state: 'OK', value: null})
  t.like((await verdict(db, {only: ['database_growth']})).row('database_growth'), {
    state: 'OK',
    value: null,
    detail: 'no `stats snapshot` between 1 hour and 7 days old yet (run it from cron, e.g. hourly)',
  })

  const snapshot = await runCli(['stats', 'snapshot', '--db-url', db.url, '--format', 'json'])
  t.is(snapshot.code, 0, snapshot.stderr)
  t.true(
    Number(
      (await db.pg.query('SELECT database_bytes FROM fluxadmin.stat_snapshots ORDER BY id DESC LIMIT 1')).rows[0]
        .database_bytes,
    ) > 0,
  )

  await db.pg.query(`INSERT INTO fluxadmin.stat_snapshots (taken_at, server_version_num, database_bytes)
    VALUES (now() - interval '2 days', current_setting('server_version_num')::int, pg_database_size(current_database()) - 200 * 1024 * 1024)`)
  const r = await verdict(db, {only: ['database_growth', 'database_size'], warn: ['database_growth=50MB']})
  t.is(r.exitCode, 1)
  const growth = r.row('database_growth')
  t.is(growth.state, 'WARNING')
  t.true(Math.abs(growth.value! - 100 * 1024 * 1024) < 2 * 1024 * 1024, `about 100 MB a day: ${growth.value}`)
  t.regex(growth.detail, /^[\d.]+ \w+ now, [\d.-]+ \w+ at the snapshot of .+: 100 MB per day; plan disk space/)
  t.is(r.row('database_size').state, 'OK', 'no default thresholds')
})
