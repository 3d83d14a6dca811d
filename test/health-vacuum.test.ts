import test from 'ava'
import {freshDb} from './helpers/db.js'
import {runCli} from './helpers/cli.js'
import {progressOfRunningVacuum} from './helpers/vacuum.js'

async function json(args: string[]) {
  const r = await runCli([...args, '--format', 'json'])
  if (r.code !== 0) throw new Error(`${args.join(' ')}: exit ${r.code}: ${r.stderr}`)
  return JSON.parse(r.stdout)
}

test('vacuum bloat ranks a table with 90% deleted rows first, and vacuum progress shows a running (throttled) VACUUM of it', async (t) => {
  const db = await freshDb(t)
  await db.pg.query(`CREATE TABLE bloated (id int, pad text) WITH (autovacuum_enabled = false);
    INSERT INTO bloated SELECT g, repeat('x', 100) FROM generate_series(1, 20000) g;
    CREATE INDEX bloated_id ON bloated (id);
    DELETE FROM bloated WHERE id % 10 <> 0;
    ANALYZE bloated`)
  const rows = await json(['vacuum', 'bloat', '--db-url', db.url])
  t.like(rows[0], {object_type: 'table', table_name: 'public.bloated', index_name: null})
  t.true(rows[0].bloat_ratio > 5, `ratio ${rows[0].bloat_ratio}`)
  t.true(
    rows[0].wasted_bytes > 2_000_000 && rows[0].wasted_bytes < rows[0].actual_bytes,
    `wasted ${rows[0].wasted_bytes}`,
  )
  t.regex(rows[0].wasted, /^\d+ kB$/)
  t.true(rows.some((r: {index_name: string}) => r.index_name === 'bloated_id'))
  const sorted = rows.map((r: {wasted_bytes: number}) => r.wasted_bytes)
  t.deepEqual(
    sorted,
    [...sorted].sort((a, b) => b - a),
  )
  const big = await json(['vacuum', 'bloat', '--db-url', db.url, '--min-wasted', '1000000', '--limit', '5'])
  t.deepEqual(
    big.map((r: {table_name: string}) => r.table_name),
    ['public.bloated'],
  )

  const idle = await runCli(['vacuum', 'progress', '--db-url', db.url, '--format', 'csv'])
  t.is(idle.code, 0, idle.stderr)
  t.regex(idle.stdout, /^pid,database,table_name,phase,heap_blks_total,/)
  const progress = await progressOfRunningVacuum(t, db.url, 'bloated')
  t.like(progress, {database: db.name, table_name: 'public.bloated', is_autovacuum: false, query: 'VACUUM bloated'})
  t.true((progress?.heap_blks_total as number) > 100)
})

test('vacuum wraparound lists every database and the oldest tables with their share of freeze_max_age and of 2^31', async (t) => {
  const db = await freshDb(t)
  await db.pg.query('CREATE TABLE young (id int)')
  await db.pg.query('VACUUM FREEZE young')
  const rows = await json(['vacuum', 'wraparound', '--db-url', db.url, '--tables', '3'])
  const dbs = rows.filter((r: {level: string}) => r.level === 'database')
  const tables = rows.filter((r: {level: string}) => r.level === 'table')
  t.true(dbs.some((r: {name: string}) => r.name === db.name))
  t.true(dbs.some((r: {name: string}) => r.name === 'template0'))
  t.is(tables.length, 3)
  t.false(tables.some((r: {name: string}) => r.name === 'public.young'))
  const ages = tables.map((r: {xid_age: number}) => r.xid_age)
  t.deepEqual(
    ages,
    [...ages].sort((a, b) => b - a),
  )
  const {
    rows: [settings],
  } = await db.pg.query("SELECT current_setting('autovacuum_freeze_max_age')::numeric AS fma")
  for (const r of rows) {
    t.is(r.xid_pct_freeze_max_age, Math.round((10000 * r.xid_age) / Number(settings.fma)) / 100)
    t.is(r.xid_pct_wraparound, Math.round((1e6 * r.xid_age) / 2 ** 31) / 1e4)
    t.true(r.mxid_age >= 0)
  }
  const none = await json(['vacuum', 'wraparound', '--db-url', db.url, '--tables', '0'])
  t.true(none.every((r: {level: string}) => r.level === 'database'))
})
