import test from 'ava'
import type pg from 'pg'
import {subtract} from '../src/stats/snapshots.js'
import {topStatements, type StatementRow} from '../src/stats/statements.js'
import {runCli} from './helpers/cli.js'
import {freshDb, type TestDb} from './helpers/db.js'

// pg_stat_statements is cluster-wide and the test server is shared: every assertion looks only at
// statements of this file's own fresh databases (--db <name>, or dbid in direct queries).

const FAST = 'SELECT count(*) FROM organizations WHERE slug = $1'
const SLOW = 'SELECT pg_sleep($1)'
const NEW = 'SELECT count(*) FROM users WHERE email = $1'

async function repeat(client: pg.Client, text: string, times: number, params: unknown[] = []) {
  for (let i = 0; i < times; i++) await client.query(text, params)
}

async function cliJson(args: string[], db: TestDb) {
  const result = await runCli(['stats', ...args, '--db-url', db.url, '--format', 'json'])
  return {...result, rows: result.code === 0 ? (JSON.parse(result.stdout) as Array<Record<string, unknown>>) : []}
}

const find = (rows: Array<Record<string, unknown>>, text: string) =>
  rows.find((r) => String(r.query).startsWith(text.slice(0, 30)))

test('stats top orders a known workload by --sort calls and --sort mean with the right call counts', async (t) => {
  const db = await freshDb(t)
  await repeat(db.pg, FAST, 500, ['acme'])
  await repeat(db.pg, NEW, 3, ['a@b.co'])
  // Long enough to outrank stats top's own query (with --include-own) even on a loaded machine.
  await repeat(db.pg, 'SELECT pg_sleep(1.5)', 2)

  const byCalls = await cliJson(['top', '--db', db.name, '--sort', 'calls'], db)
  t.is(byCalls.code, 0, byCalls.stderr)
  t.regex(String(byCalls.rows[0].query), /FROM organizations WHERE slug = \$1/)
  t.is(byCalls.rows[0].calls, 500)
  t.true(byCalls.rows.every((r) => r.db_name === db.name))
  for (let i = 1; i < byCalls.rows.length; i++)
    t.true(Number(byCalls.rows[i - 1].calls) >= Number(byCalls.rows[i].calls))

  const byMean = await cliJson(['top', '--db', db.name, '--sort', 'mean', '--limit', '3'], db)
  t.is(byMean.code, 0, byMean.stderr)
  t.is(byMean.rows.length, 3)
  t.is(byMean.rows[0].query, SLOW)
  t.is(byMean.rows[0].calls, 2)
  t.true(Number(byMean.rows[0].mean_ms) >= 1500)
  for (let i = 1; i < byMean.rows.length; i++)
    t.true(Number(byMean.rows[i - 1].mean_ms) >= Number(byMean.rows[i].mean_ms))

  // Filters: --query is a literal substring (a % is not a wildcard), --min-calls.
  const filtered = await cliJson(['top', '--db', db.name, '--query', 'pg_SLEEP', '--min-calls', '2'], db)
  t.deepEqual(
    filtered.rows.map((r) => r.query),
    [SLOW],
  )
  const literal = await cliJson(['top', '--db', db.name, '--query', 'pg_%'], db)
  t.deepEqual(literal.rows, [])
})

test("stats top leaves fluxadmin's own statements out unless --include-own, live and as a delta", async (t) => {
  const db = await freshDb(t)
  await repeat(db.pg, FAST, 5, ['acme'])
  t.is((await cliJson(['snapshot'], db)).code, 0)
  // fluxadmin's own statements in this database: stats top's, and a report's.
  await runCli(['orgs', 'list', '--db-url', db.url, '--format', 'csv'])
  const own = (rows: Array<Record<string, unknown>>) =>
    rows.filter((r) => String(r.query).startsWith('/* fluxadmin */'))
  const [plain, included, delta, deltaIncluded] = await Promise.all([
    cliJson(['top', '--db', db.name, '--limit', '1000'], db),
    cliJson(['top', '--db', db.name, '--limit', '1000', '--include-own'], db),
    cliJson(['top', '--since', '1h', '--db', db.name, '--limit', '1000'], db),
    cliJson(['top', '--since', '1h', '--db', db.name, '--limit', '1000', '--include-own'], db),
  ])
  for (const r of [plain, included, delta, deltaIncluded]) t.is(r.code, 0, r.stderr)
  t.deepEqual(own(plain.rows), [])
  t.true(own(included.rows).length > 0)
  t.is(find(plain.rows, FAST)?.calls, 5)
  t.deepEqual(own(delta.rows), [])
  t.true(own(deltaIncluded.rows).length > 0)
})

test('every figure stats top prints equals a direct SELECT from pg_stat_statements', async (t) => {
  const db = await freshDb(t)
  await repeat(db.pg, FAST, 120, ['acme'])
  await repeat(db.pg, 'SELECT pg_sleep(0.01)', 3)
  await repeat(db.pg, NEW, 7, ['a@b.co'])

  const top = await cliJson(['top', '--db', db.name, '--limit', '1000'], db)
  t.is(top.code, 0, top.stderr)
  const {rows: direct} = await db.pg.query(
    `
    SELECT s.queryid::text, r.rolname AS user_name, d.datname AS db_name, s.toplevel, s.query, s.calls::text, s.total_exec_time, s.mean_exec_time,
           s.stddev_exec_time, s.rows::text, s.shared_blks_hit::text, s.shared_blks_read::text, s.shared_blks_written::text,
           s.temp_blks_read::text, s.temp_blks_written::text
    FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid JOIN pg_roles r ON r.oid = s.userid
    WHERE d.datname = $1 AND s.query = ANY($2)`,
    [db.name, [FAST, SLOW, NEW]],
  )
  t.is(direct.length, 3)
  for (const want of direct) {
    const got = top.rows.find((r) => String(r.queryid) === want.queryid && r.toplevel === want.toplevel)
    if (!got) {
      t.fail(`statement ${want.query} missing from stats top`)
      continue
    }
    t.is(got.query, want.query)
    t.is(got.user_name, want.user_name)
    t.is(got.db_name, want.db_name)
    t.is(String(got.calls), want.calls)
    t.is(got.total_ms, want.total_exec_time)
    t.is(got.mean_ms, want.mean_exec_time)
    t.is(got.stddev_ms, want.stddev_exec_time)
    for (const key of [
      'rows',
      'shared_blks_hit',
      'shared_blks_read',
      'shared_blks_written',
      'temp_blks_read',
      'temp_blks_written',
    ])
      t.is(String(got[key]), want[key], key)
    const hit = Number(want.shared_blks_hit)
    const read = Number(want.shared_blks_read)
    t.is(got.hit_ratio, hit + read === 0 ? null : hit / (hit + read))
  }
  t.is(find(top.rows, NEW)?.calls, 7)

  // pct_total is each statement's share of the whole server's time: over every statement it adds up to 100.
  const all = await cliJson(['top', '--limit', '100000', '--include-own'], db)
  const sum = all.rows.reduce((s, r) => s + Number(r.pct_total ?? 0), 0)
  t.true(Math.abs(sum - 100) < 1e-6, `sum of pct_total ${sum}`)
  const [a, b] = all.rows
  t.true(Math.abs(Number(a.pct_total) / Number(b.pct_total) - Number(a.total_ms) / Number(b.total_ms)) < 1e-9)
})

test('stats top --since and --between show only the delta; a reset is reported, never negative figures', async (t) => {
  const db = await freshDb(t)
  await repeat(db.pg, FAST, 40, ['acme'])
  const snap1 = await cliJson(['snapshot'], db)
  t.is(snap1.code, 0, snap1.stderr)
  t.true(Number(snap1.rows[0].statements) > 0)
  await repeat(db.pg, FAST, 25, ['acme'])
  await repeat(db.pg, NEW, 7, ['a@b.co'])

  const since = await cliJson(['top', '--since', '1h', '--db', db.name, '--limit', '1000'], db)
  t.is(since.code, 0, since.stderr)
  t.regex(since.stderr, new RegExp(`from snapshot #${snap1.rows[0].snapshot_id} .* to now`))
  const fast = find(since.rows, FAST)!
  t.is(fast.status, 'changed')
  t.is(fast.calls, 25)
  t.is(fast.rows, 25)
  t.true(Math.abs(Number(fast.mean_ms) * 25 - Number(fast.total_ms)) < 1e-6)
  t.is(typeof fast.mean_before_ms, 'number')
  t.like(find(since.rows, NEW), {status: 'new', calls: 7})

  const snap2 = await cliJson(['snapshot', '--keep', '7d'], db)
  t.is(snap2.code, 0, snap2.stderr)
  t.is(snap2.rows[0].pruned, 0)
  await repeat(db.pg, FAST, 5, ['acme'])
  const between = await cliJson(
    [
      'top',
      '--between',
      String(snap1.rows[0].taken_at),
      String(snap2.rows[0].taken_at),
      '--db',
      db.name,
      '--limit',
      '1000',
    ],
    db,
  )
  t.is(between.code, 0, between.stderr)
  t.like(find(between.rows, FAST), {status: 'changed', calls: 25})
  t.like(find(between.rows, NEW), {status: 'new', calls: 7})

  // Reset this database's counters only (others share the server): refused without --yes, previewed with --dry-run.
  const refused = await runCli(['stats', 'reset', '--db', db.name, '--db-url', db.url])
  t.is(refused.code, 2)
  t.regex(
    refused.stderr,
    /^Error: refusing to reset pg_stat_statements counters of database t_\w+ without confirmation\nHint: pass --yes/,
  )
  const dry = await cliJson(['reset', '--db', db.name, '--dry-run'], db)
  t.is(dry.code, 0, dry.stderr)
  t.is(dry.rows[0].reset, false)
  t.is(find((await cliJson(['top', '--db', db.name, '--limit', '1000'], db)).rows, FAST)?.calls, 70)
  const reset = await cliJson(['reset', '--db', db.name, '--yes'], db)
  t.is(reset.code, 0, reset.stderr)
  const {rows: audit} = await db.pg.query(
    "SELECT description, metadata FROM security_events WHERE event_type = 'admin.stats.reset' AND id = $1",
    [reset.rows[0].audit_id],
  )
  t.is(audit.length, 1)
  t.is(audit[0].metadata.db, db.name)
  t.is(audit[0].metadata.dry_run, false)

  await repeat(db.pg, FAST, 3, ['acme'])
  const after = await cliJson(['top', '--since', '1h', '--db', db.name, '--limit', '1000'], db)
  t.is(after.code, 0, after.stderr)
  t.regex(after.stderr, /went down \(a reset or eviction\)/)
  t.like(find(after.rows, FAST), {status: 'reset', calls: 3})
  for (const row of after.rows) {
    for (const [key, value] of Object.entries(row))
      if (typeof value === 'number' && key !== 'mean_change_pct') t.true(value >= 0, `${key} = ${value}`)
  }
})

test('stats top --since: a full reset (pg_stat_statements_info.stats_reset moved) is said, and figures count since it', async (t) => {
  const db = await freshDb(t)
  await repeat(db.pg, FAST, 3, ['acme'])
  t.is((await cliJson(['snapshot'], db)).code, 0)
  await repeat(db.pg, FAST, 5, ['acme'])
  // A whole-server reset would disturb the other test files: make the snapshot look taken before one instead.
  await db.pg.query("UPDATE fluxadmin.stat_snapshots SET stats_reset = stats_reset - interval '1 day'")
  const since = await cliJson(['top', '--since', '1h', '--db', db.name, '--limit', '1000'], db)
  t.is(since.code, 0, since.stderr)
  t.regex(
    since.stderr,
    /pg_stat_statements was reset at \S+, inside this window: statements marked "reset" count only since then/,
  )
  t.like(find(since.rows, FAST), {status: 'reset', calls: 8})
  t.true(since.rows.every((r) => r.status !== 'changed'))
})

test('sort keys outside the allow-list are usage errors (exit 2)', async (t) => {
  const db = await freshDb(t)
  for (const sort of ['bogus', 'total; DROP TABLE users']) {
    const result = await runCli(['stats', 'top', '--sort', sort, '--db-url', db.url])
    t.is(result.code, 2)
    t.regex(
      result.stderr,
      /^Error: Expected --sort=.* to be one of: total, mean, calls, rows, io, io-time, temp, stddev/,
    )
  }
  const byIoTime = await runCli(['stats', 'top', '--sort', 'io-time', '--format', 'json', '--db-url', db.url])
  t.is(byIoTime.code, 0, byIoTime.stderr)
  const times = JSON.parse(byIoTime.stdout).map(
    (r: {blk_read_ms: number; blk_write_ms: number}) => r.blk_read_ms + r.blk_write_ms,
  )
  t.true(times.length > 0)
  t.deepEqual(
    times,
    [...times].sort((a: number, b: number) => b - a),
    'largest block I/O time first',
  )
  const session = await db.session()
  await t.throwsAsync(topStatements(session, {sort: 'total_exec_time' as never}), {
    message: /unknown sort key "total_exec_time"/,
  })
  const between = await runCli(['stats', 'top', '--between', '2h', '--db-url', db.url])
  t.is(between.code, 2)
  t.regex(between.stderr, /--between takes two times/)

  const none = await runCli(['stats', 'top', '--since', '1h', '--db-url', db.url])
  t.is(none.code, 4)
  t.regex(
    none.stderr,
    /^Error: no snapshot in fluxadmin.stat_snapshots yet\nHint: take one with `fluxadmin stats snapshot`/,
  )
  await db.pg.query('DROP TABLE fluxadmin.stat_snapshot_statements, fluxadmin.stat_snapshots CASCADE')
  const unmigrated = await runCli(['stats', 'snapshot', '--db-url', db.url])
  t.is(unmigrated.code, 6)
  t.regex(
    unmigrated.stderr,
    /^Error: this database has no fluxadmin.stat_snapshots table\nHint: run `fluxadmin db migrate`/,
  )
})

test('stats explain: the text, EXPLAIN with --params in a read-only transaction, ANALYZE only when asked', async (t) => {
  const db = await freshDb(t)
  await db.pg.query("INSERT INTO organizations (name, slug, type) VALUES ('Acme', 'acme', 'independent')")
  await db.pg.query(FAST, ['acme'])
  const update = 'UPDATE organizations SET name = name || slug WHERE slug = $1'
  await db.pg.query(update, ['nobody'])
  const {rows: ids} = await db.pg.query(
    'SELECT s.query, s.queryid::text FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1 AND s.query = ANY($2)',
    [db.name, [FAST, update]],
  )
  const id = (text: string) => ids.find((r) => r.query === text).queryid as string
  // Other test files fill pg_stat_statements too: should it evict these entries, running them again brings them back.
  const again = async () => {
    await db.pg.query(FAST, ['acme'])
    await db.pg.query(update, ['nobody'])
  }

  await again()
  const text = await cliJson(['explain', id(FAST)], db)
  t.is(text.code, 0, text.stderr)
  t.deepEqual(text.rows, [{section: 'query', text: FAST}])
  t.regex(text.stderr, /pass --params with 1 value to see the plan/)

  await again()
  const plan = await cliJson(['explain', id(FAST), '--params', 'acme'], db)
  t.is(plan.code, 0, plan.stderr)
  t.true(plan.rows.some((r) => r.section === 'plan' && /Scan/.test(String(r.text))))
  t.false(plan.rows.some((r) => /actual time/.test(String(r.text))))
  await again()
  const analyzed = await cliJson(['explain', id(FAST), '--params', 'acme', '--analyze'], db)
  t.true(
    analyzed.rows.some((r) => /actual time/.test(String(r.text))),
    analyzed.stderr,
  )

  await again()
  const updatePlan = await cliJson(['explain', id(update), '--params', 'acme'], db)
  t.is(updatePlan.code, 0, updatePlan.stderr)
  t.true(updatePlan.rows.some((r) => /Update on organizations/.test(String(r.text))))
  await again()
  const refused = await runCli(['stats', 'explain', id(update), '--params', 'acme', '--analyze', '--db-url', db.url])
  t.is(refused.code, 2)
  t.regex(refused.stderr, /^Error: --analyze would run this statement, and it is not a SELECT\nHint: /)
  const {
    rows: [org],
  } = await db.pg.query("SELECT name FROM organizations WHERE slug = 'acme'")
  t.is(org.name, 'Acme')

  await again()
  const wrong = await runCli(['stats', 'explain', id(FAST), '--params', 'a,b', '--db-url', db.url])
  t.is(wrong.code, 2)
  t.regex(wrong.stderr, /takes 1 parameter, got 2/)
  const missing = await runCli(['stats', 'explain', '12345', '--db-url', db.url])
  t.is(missing.code, 4)
})

test('deltas: window mean and stddev from two snapshots; after a full reset the counters count since it', (t) => {
  const row = (calls: number, times: number[]): StatementRow => {
    const total = times.reduce((a, b) => a + b, 0)
    const mean = total / calls
    return {
      queryid: '42',
      userid: 10,
      dbid: 5,
      toplevel: true,
      user_name: 'u',
      db_name: 'd',
      calls,
      total_ms: total,
      mean_ms: mean,
      stddev_ms: Math.sqrt(times.reduce((a, x) => a + (x - mean) ** 2, 0) / calls),
      rows: calls,
      pct_total: null,
      shared_blks_hit: calls,
      shared_blks_read: 0,
      shared_blks_written: 0,
      hit_ratio: 1,
      temp_blks_read: 0,
      temp_blks_written: 0,
      blk_read_ms: calls / 2,
      blk_write_ms: 0,
      query: 'SELECT $1',
    }
  }
  const before = row(2, [1, 3])
  const after = row(4, [1, 3, 5, 7])
  const {
    rows: [d],
  } = subtract([before], [after], false)
  t.like(d, {
    status: 'changed',
    calls: 2,
    total_ms: 12,
    mean_ms: 6,
    mean_before_ms: 2,
    mean_change_pct: 200,
    rows: 2,
    pct_total: 100,
    blk_read_ms: 1,
    blk_write_ms: 0,
  })
  t.like(
    subtract([{...before, blk_read_ms: null}], [after], false).rows[0],
    {blk_read_ms: null, blk_write_ms: 0},
    'a snapshot without I/O times: no delta of them',
  )
  t.true(Math.abs(d.stddev_ms - 1) < 1e-9)

  const reset = subtract([after], [row(1, [9])], true)
  t.is(reset.resetStatements, 1)
  t.like(reset.rows[0], {status: 'reset', calls: 1, total_ms: 9, mean_ms: 9, mean_before_ms: 4})
  t.deepEqual(subtract([after], [after], false).rows, [], 'no calls in the window: left out')
})
