import test from 'ava'
import type pg from 'pg'
import {windowEvents} from '../src/stats/snapshots.js'
import {runCli} from './helpers/cli.js'
import {freshDb, type TestDb} from './helpers/db.js'

// pg_stat_statements is shared by the test server's databases: every assertion looks at this file's databases only (--db).

const SLEEP = 'SELECT pg_sleep($1)'
const LOOKUP = 'SELECT id, payload FROM reg_items WHERE k = $1'

async function repeat(client: pg.Client, text: string, times: number, params: (i: number) => unknown[] = () => []) {
  for (let i = 0; i < times; i++) await client.query(text, params(i))
}

async function cli(db: TestDb, args: string[]) {
  const result = await runCli([...args, '--db-url', db.url, '--format', 'json'])
  return {
    ...result,
    rows:
      result.code === 0 && result.stdout.trim() ? (JSON.parse(result.stdout) as Array<Record<string, unknown>>) : [],
  }
}

async function snapshot(db: TestDb) {
  const snap = await cli(db, ['stats', 'snapshot'])
  if (snap.code !== 0) throw new Error(snap.stderr)
  return snap.rows[0] as {snapshot_id: number; taken_at: string; plans: number}
}

const ownRow = (rows: Array<Record<string, unknown>>, text: string) => rows.find((r) => r.query === text)

test('stats top --since: mean_before_ms is the mean between the two earlier snapshots, not since the reset; --sort change; stats snapshots lists them', async (t) => {
  const db = await freshDb(t)
  // Slow calls first, then many fast ones: the mean since the reset stays high, the mean of the previous interval is tiny.
  await repeat(db.pg, SLEEP, 5, () => [0.03])
  const a = await snapshot(db)
  await repeat(db.pg, SLEEP, 45, () => [0])
  const b = await snapshot(db)
  t.true(b.plans > 0, 'plan shapes stored with the snapshot')
  await repeat(db.pg, SLEEP, 10, () => [0.002])

  const since = await cli(db, ['stats', 'top', '--since', b.taken_at, '--db', db.name, '--limit', '1000'])
  t.is(since.code, 0, since.stderr)
  t.regex(
    since.stderr,
    new RegExp(`mean_before_ms is the mean between snapshot #${a.snapshot_id} \\(.*\\) and #${b.snapshot_id}`),
  )
  const sleep = ownRow(since.rows, SLEEP)!
  t.is(sleep.calls, 10)
  // Since the reset the mean is over 3 ms (5 x 30 ms in 50 calls); the 45 calls between the snapshots took well under 1 ms each.
  t.true(Number(sleep.mean_before_ms) < 1, `mean_before_ms ${sleep.mean_before_ms}`)
  t.true(Number(sleep.mean_change_pct) > 0)

  const byChange = await cli(db, [
    'stats',
    'top',
    '--since',
    b.taken_at,
    '--db',
    db.name,
    '--sort',
    'change',
    '--limit',
    '1000',
  ])
  t.is(byChange.code, 0, byChange.stderr)
  const changes = byChange.rows.map((r) =>
    r.mean_change_pct === null ? Number.NEGATIVE_INFINITY : Number(r.mean_change_pct),
  )
  t.deepEqual(
    changes,
    [...changes].sort((x, y) => y - x),
    'worst change first',
  )
  const live = await runCli(['stats', 'top', '--sort', 'change', '--db-url', db.url])
  t.is(live.code, 2)
  t.regex(live.stderr, /^Error: --sort change compares a window with the interval before it\nHint: add --since 1h/)

  const list = await cli(db, ['stats', 'snapshots'])
  t.is(list.code, 0, list.stderr)
  t.deepEqual(
    list.rows.map((r) => r.snapshot_id),
    [b.snapshot_id, a.snapshot_id],
    'newest first',
  )
  t.true(list.rows.every((r) => Number(r.tables) > 10 && r.postmaster_start !== null))
})

test('stats regressions: an index dropped after a snapshot, with its factor and both plans; a reset and a restart in the window are said, never negative figures', async (t) => {
  const db = await freshDb(t)
  await db.pg.query(`CREATE TABLE reg_items (id bigint PRIMARY KEY, k int NOT NULL, payload text);
    INSERT INTO reg_items SELECT i, i % 20000, md5(i::text) FROM generate_series(1, 100000) i;
    CREATE INDEX reg_items_k ON reg_items (k); ANALYZE reg_items`)
  const key = (i: number) => [(i * 7919) % 20000]
  await repeat(db.pg, LOOKUP, 60, key)
  const s0 = await snapshot(db)
  await repeat(db.pg, LOOKUP, 60, key)
  const s1 = await snapshot(db)
  await db.pg.query('DROP INDEX reg_items_k')
  await repeat(db.pg, LOOKUP, 60, key)

  const found = await cli(db, ['stats', 'regressions', '--since', s1.taken_at, '--db', db.name])
  t.is(found.code, 0, found.stderr)
  t.regex(found.stderr, new RegExp(`before is the mean between snapshot #${s0.snapshot_id} .* and #${s1.snapshot_id}`))
  const row = ownRow(found.rows, LOOKUP)!
  t.truthy(row, JSON.stringify(found.rows.map((r) => r.query)))
  t.true(Number(row.factor) >= 2, `factor ${row.factor}`)
  t.like(row, {
    calls: 60,
    calls_before: 60,
    status: 'changed',
    plan_changed: true,
    rows_per_call: 5,
    rows_per_call_before: 5,
  })
  t.regex(String(row.plan_before), /Index Scan using reg_items_k|Bitmap Index Scan on reg_items_k/)
  t.regex(String(row.plan_after), /Seq Scan on reg_items/)
  t.true(Number(row.extra_ms) > 0)

  // Two stored snapshots: both plans come from them.
  const s2 = await snapshot(db)
  const between = await cli(db, ['stats', 'regressions', '--between', s1.taken_at, s2.taken_at, '--db', db.name])
  t.is(between.code, 0, between.stderr)
  t.like(ownRow(between.rows, LOOKUP), {plan_changed: true, calls: 60})

  const health = await runCli([
    'health',
    'check',
    '--only',
    'query_regressions',
    '--db-url',
    db.url,
    '--format',
    'json',
  ])
  t.is(health.code, 1, health.stderr)
  const [check] = JSON.parse(health.stdout).checks ?? JSON.parse(health.stdout)
  t.like(check, {check: 'query_regressions', state: 'WARNING', value: 1})
  t.regex(String(check.detail), /queryid -?\d+ \d+\.\dx slower .*plan changed/)
  const included = await runCli([
    'health',
    'check',
    '--include',
    'query_regressions',
    '--db-url',
    db.url,
    '--format',
    'json',
  ])
  t.regex(included.stdout, /"check": ?"query_regressions"/)
  const skipped = await runCli(['health', 'check', '--db-url', db.url, '--format', 'json'])
  t.notRegex(skipped.stdout, /query_regressions/, 'opt-in only')

  // Someone else resets this database's counters, and the server (as the snapshot says) restarted: said, not negative.
  await db.pg.query(
    'SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)',
  )
  await db.pg.query(
    "UPDATE fluxadmin.stat_snapshots SET postmaster_start = postmaster_start - interval '1 day' WHERE id = $1",
    [s2.snapshot_id],
  )
  await repeat(db.pg, LOOKUP, 55, key)
  const after = await cli(db, [
    'stats',
    'regressions',
    '--since',
    s2.taken_at,
    '--db',
    db.name,
    '--min-calls',
    '1',
    '--factor',
    '1.01',
  ])
  t.is(after.code, 0, after.stderr)
  t.regex(after.stderr, /the counters of \d+ statements? went down \(a reset or eviction\)/)
  t.regex(after.stderr, /the server restarted at \S+, inside this window/)
  const top = await cli(db, ['stats', 'top', '--since', s2.taken_at, '--db', db.name, '--limit', '1000'])
  t.like(ownRow(top.rows, LOOKUP), {status: 'reset', calls: 55})
  for (const r of [...after.rows, ...top.rows]) {
    for (const [k, v] of Object.entries(r))
      if (typeof v === 'number' && k !== 'mean_change_pct' && k !== 'queryid') t.true(v >= 0, `${k} = ${v}`)
  }
})

test('window events: a reset, a restart and evictions between two points', (t) => {
  const at = (s: string) => new Date(s)
  const a = {stats_reset: at('2026-01-01T00:00:00Z'), postmaster_start: at('2026-01-01T00:00:00Z'), dealloc: 5}
  t.deepEqual(windowEvents(a, {...a, dealloc: 9}), {statsReset: null, restart: null, evicted: 4})
  t.deepEqual(windowEvents(a, {...a, stats_reset: at('2026-01-02T00:00:00Z'), dealloc: 2}), {
    statsReset: at('2026-01-02T00:00:00Z'),
    restart: null,
    evicted: 2,
  })
  t.deepEqual(windowEvents(a, {...a, postmaster_start: at('2026-01-03T00:00:00Z')}), {
    statsReset: null,
    restart: at('2026-01-03T00:00:00Z'),
    evicted: 0,
  })
  t.deepEqual(
    windowEvents({...a, dealloc: null}, a),
    {statsReset: null, restart: null, evicted: null},
    'a snapshot from before migration 070',
  )
})
