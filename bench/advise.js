// Benchmark: `fluxadmin stats advise` over the top 100 statements of a workload of 100 shapes on 10 tables of
// 20,000 rows each (created here, dropped at the end). Target: at most 10 s. Wall time per run, process start
// included, median of N runs; also how many hypothetical indexes were tried (in batches, with hypopg_reset between).
// Needs HypoPG in the database (CREATE EXTENSION hypopg, as a superuser) and `fluxadmin db migrate` applied.
// Usage: node bench/advise.js [DB_URL] [runs]   (default: FLUXADMIN_DB_URL, else the running sandbox; 3 runs)
import {execFileSync, spawnSync} from 'node:child_process'
import {fileURLToPath} from 'node:url'
import pg from 'pg'

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = `${root}bin/run.js`
const url =
  process.argv[2] ||
  process.env.FLUXADMIN_DB_URL ||
  execFileSync(process.execPath, [bin, 'sandbox', 'url'], {encoding: 'utf8'}).trim()
const runs = Number(process.argv[3] || 3)
const env = {...process.env, FLUXADMIN_DB_URL: url, NO_COLOR: '1'}
const TABLES = 10
const ROWS = 20_000

/** Ten shapes per table: equality, two columns, range + sort + LIMIT, IN, IS NULL, BETWEEN, a join, one no index helps. */
const shapes = (t, next) => [
  [`SELECT id FROM ${t} WHERE a = $1`, (i) => [i]],
  [`SELECT id FROM ${t} WHERE b = $1 AND c = $2`, (i) => [i * 3, `c${i % 50}`]],
  [
    `SELECT id, d FROM ${t} WHERE d > $1 ORDER BY d DESC LIMIT $2`,
    (i) => [new Date(Date.now() - (60 + i) * 60_000), 10],
  ],
  [`SELECT id FROM ${t} WHERE e IN ($1, $2, $3)`, (i) => [i, i + 1, i + 2]],
  [`SELECT id FROM ${t} WHERE f = $1 ORDER BY d LIMIT $2`, (i) => [`f${i}`, 5]],
  [`SELECT id FROM ${t} WHERE a = $1 AND d >= $2`, (i) => [i, new Date(Date.now() - 600 * 60_000)]],
  [`SELECT count(*) FROM ${t} WHERE g IS NULL`, () => []],
  [`SELECT id FROM ${t} WHERE b BETWEEN $1 AND $2`, (i) => [i * 10, i * 10 + 20]],
  [`SELECT x.id FROM ${t} x JOIN ${next} y ON y.e = x.a WHERE x.f = $1`, (i) => [`f${i}`]],
  [`SELECT c, count(*) FROM ${t} GROUP BY c`, () => []],
]

const client = new pg.Client({connectionString: url})
await client.connect()
const names = Array.from({length: TABLES}, (_, i) => `bench_advise_${i}`)
try {
  await client.query('CREATE EXTENSION IF NOT EXISTS hypopg')
  for (const t of names) {
    await client.query(`DROP TABLE IF EXISTS ${t}; CREATE TABLE ${t} (id bigint PRIMARY KEY, a int, b int, c text, d timestamptz, e int, f text, g int);
      INSERT INTO ${t} SELECT i, (i * 7919) % ${ROWS}, i % 5000, 'c' || (i % 50), now() - ((i * 31) % ${ROWS}) * interval '1 minute', (i * 13) % ${ROWS}, 'f' || (i % 4000),
        CASE WHEN i % 200 = 0 THEN NULL ELSE i END FROM generate_series(1, ${ROWS}) i;
      ANALYZE ${t}`)
  }
  // The load's inserts reach pg_stat_user_tables before the snapshot: the write rates then count only the workload.
  await client.query('SELECT pg_stat_force_next_flush()')
  execFileSync(process.execPath, [bin, 'stats', 'snapshot', '--format', 'csv'], {env, stdio: 'ignore'})
  // The top 100 statements are the workload's: this database's counters start from zero (the bench's own setup, not fluxadmin).
  await client.query(
    'SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)',
  )
  const workload = names.flatMap((t, i) => shapes(t, names[(i + 1) % TABLES]))
  for (let round = 0; round < 3; round++)
    for (const [sql, params] of workload) await client.query(sql, params(round + 1))

  const times = []
  let last
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint()
    last = spawnSync(process.execPath, [bin, 'stats', 'advise', '-n', '100', '--min-calls', '1', '--format', 'json'], {
      env,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    })
    times.push(Number(process.hrtime.bigint() - started) / 1e6)
    if (last.status !== 0) throw new Error(`stats advise failed: ${last.stderr}`)
  }
  times.sort((a, b) => a - b)
  const suggestions = JSON.parse(last.stdout)
  console.log(
    `${workload.length} statement shapes on ${TABLES} tables of ${ROWS} rows; median of ${runs} runs, wall time with process start`,
  )
  console.log(last.stderr.trim())
  console.log(['what', 'ms', 'target ms'].join('\t'))
  console.log(['stats advise -n 100', times[Math.floor(times.length / 2)].toFixed(0), '10000'].join('\t'))
  console.log(
    `${suggestions.length} indexes suggested, e.g. ${suggestions
      .slice(0, 3)
      .map((s) => s.index_statement)
      .join('; ')}`,
  )
} finally {
  for (const t of names) await client.query(`DROP TABLE IF EXISTS ${t}`)
  await client.end()
}
