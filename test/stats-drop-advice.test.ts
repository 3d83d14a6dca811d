import test from 'ava'
import {runCli} from './helpers/cli.js'
import {freshDb, type TestDb} from './helpers/db.js'

// Drop advice with proof: no scans, no top statement's plan, never a unique or constraint-backing index.

async function cliJson(db: TestDb, args: string[]) {
  const result = await runCli(['stats', ...args, '--db-url', db.url, '--format', 'json'])
  return {
    ...result,
    rows:
      result.code === 0 && result.stdout.trim() ? (JSON.parse(result.stdout) as Array<Record<string, unknown>>) : [],
  }
}

test('stats unused-indexes: only indexes nothing scans and no top plan reads, with DROP INDEX CONCURRENTLY; stats duplicate-indexes keeps the constraint', async (t) => {
  const db = await freshDb(t)
  await db.pg.query(`CREATE TABLE drop_items (id int PRIMARY KEY, a int, b int, code text, d int, e int,
      CONSTRAINT drop_items_code_key UNIQUE (code), CONSTRAINT drop_items_excl EXCLUDE USING btree (d WITH =));
    INSERT INTO drop_items SELECT i, i % 100, i, 'c' || i, i, i FROM generate_series(1, 20000) i;
    CREATE INDEX drop_items_unused ON drop_items (a);
    CREATE INDEX drop_items_planned ON drop_items (b);
    CREATE INDEX drop_items_dup1 ON drop_items (e);
    CREATE INDEX drop_items_dup2 ON drop_items (e);
    CREATE UNIQUE INDEX drop_items_e_key ON drop_items (e);
    ANALYZE drop_items`)
  // A top statement whose plan reads drop_items_planned; then its scans are reset, so only the plan tells.
  for (let i = 0; i < 20; i++) await db.pg.query('SELECT id FROM drop_items WHERE b = $1', [i])
  // Flushed at the end of its own transaction, before the reset: otherwise the pending scans would land after it.
  await db.pg.query('SELECT pg_stat_force_next_flush()')
  await db.pg.query("SELECT pg_stat_reset_single_table_counters('drop_items_planned'::regclass)")

  const unused = await cliJson(db, ['unused-indexes', '--max-scans', '1'])
  t.is(unused.code, 0, unused.stderr)
  const ours = unused.rows.filter((r) => r.table_name === 'drop_items')
  t.deepEqual(ours.map((r) => r.index_name).sort(), ['drop_items_dup1', 'drop_items_dup2', 'drop_items_unused'])
  t.like(
    ours.find((r) => r.index_name === 'drop_items_unused'),
    {index_scans: 0, replica_scans: 0, drop_statement: 'DROP INDEX CONCURRENTLY public.drop_items_unused;'},
  )
  t.true(ours.every((r) => Number(r.index_bytes) > 0))
  t.regex(
    unused.stderr,
    /fluxadmin: 1 index left out: the generic plan of a top statement reads it \(drop_items_planned\)/,
  )

  const dup = await cliJson(db, ['duplicate-indexes'])
  t.is(dup.code, 0, dup.stderr)
  const set = dup.rows.find((r) => r.table_name === 'drop_items')!
  t.like(set, {
    keep_index: 'drop_items_e_key',
    drop_statement: 'DROP INDEX CONCURRENTLY public.drop_items_dup1; DROP INDEX CONCURRENTLY public.drop_items_dup2;',
  })
  t.deepEqual(set.indexes, ['drop_items_dup1', 'drop_items_dup2', 'drop_items_e_key'])
  t.is(Number(set.bytes_freed) * 3, Number(set.index_bytes) * 2, 'two of three same-sized indexes dropped')

  const notStandby = await runCli(['stats', 'unused-indexes', '--db-url', db.url, '--replica', db.url])
  t.is(notStandby.code, 2)
  t.regex(
    notStandby.stderr,
    /^Error: --replica 127\.0\.0\.1:\d+ is not a standby\nHint: give the standbys of this primary/,
  )
})
