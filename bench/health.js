// `health check` on a database with 1,000 extra tables (each with a primary key, two indexes and a
// foreign key), timed end to end (process start-up included) next to the equivalent check_postgres
// actions (Debian's check-postgres, installed with apt-get when missing) and psql running the same
// check queries in one session, all in the same loop. Goal: health check <= 2 s.
// Usage: npm run build && node bench/health.js [runs]
//   server: FLUXADMIN_BENCH_URL (any database on the server; a superuser), else the running sandbox
//   (FLUXADMIN_SANDBOX_DIR=/var/lib/fluxadmin/sb-<you> node bin/run.js sandbox start first).
//   FLUXADMIN_BENCH_KEEP=1 keeps the database afterwards.
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import pg from 'pg'
import {query} from '../dist/db/queries.js'
import {CHECKS} from '../dist/health/checks.js'

const runs = Number(process.argv[2] ?? 7)
const TABLES = 1000
const DB = 'fluxadmin_bench_health'
const bin = fileURLToPath(new URL('../bin/run.js', import.meta.url))

function sh(cmd, args, expect = [0], env = {}) {
  const start = process.hrtime.bigint()
  const r = spawnSync(cmd, args, {encoding: 'utf8', env: {...process.env, NO_COLOR: '1', ...env}, maxBuffer: 1 << 26})
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (!expect.includes(r.status)) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr}`)
  return {ms, ...r}
}

const serverUrl = process.env.FLUXADMIN_BENCH_URL ?? sh(process.execPath, [bin, 'sandbox', 'url']).stdout.trim()
const url = new URL(serverUrl)
url.pathname = `/${DB}`
const dbUrl = url.toString()

const admin = new pg.Client({connectionString: serverUrl})
await admin.connect()
await admin.query('SET statement_timeout = 0') // the sandbox's 30 s is too short to drop 1,000 tables on a loaded machine
await admin.query(`DROP DATABASE IF EXISTS ${DB}`)
await admin.query(`CREATE DATABASE ${DB}`)
const versionNum = Number((await admin.query('SHOW server_version_num')).rows[0].server_version_num)
await admin.end()
sh(process.execPath, [bin, 'db', 'migrate', '--db-url', dbUrl, '--format', 'json'])

const setup = new pg.Client({connectionString: dbUrl})
await setup.connect()
await setup.query('SET statement_timeout = 0')
const t0 = Date.now()
await setup.query(`DO $$
BEGIN
  FOR i IN 1..${TABLES} LOOP
    EXECUTE format('CREATE TABLE bench_%s (id bigserial PRIMARY KEY, organization_id uuid REFERENCES organizations (id), created_at timestamptz DEFAULT now(), note text)', i);
    EXECUTE format('CREATE INDEX ON bench_%s (organization_id)', i);
    EXECUTE format('CREATE INDEX ON bench_%s (created_at)', i);
    EXECUTE format('INSERT INTO bench_%s (note) SELECT md5(g::text) FROM generate_series(1, 20) g', i);
  END LOOP;
END $$`)
await setup.query('ANALYZE')
const {
  rows: [counts],
} =
  await setup.query(`SELECT (SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace) AS tables,
  (SELECT count(*) FROM pg_class WHERE relkind = 'i' AND relnamespace = 'public'::regnamespace) AS indexes`)
await setup.end()
console.log(
  `database ${DB}: ${counts.tables} tables, ${counts.indexes} indexes (set up in ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
)

// The reference: psql running the statements the checks run (PREPARE / EXECUTE with their default
// parameters, each distinct one once, as fluxadmin shares them) in one session.
const literal = (v) =>
  v === null || v === undefined ? 'NULL' : typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : String(v)
const distinct = new Map()
for (const c of CHECKS.filter((c) => c.query && c.group !== 'settings')) {
  const params = typeof c.params === 'function' ? c.params({database: null}) : (c.params ?? [])
  distinct.set(JSON.stringify([c.query, params]), {text: query(c.query, {versionNum}).text, params})
}
const statements = [...distinct.values()].map(
  ({text, params}, i) =>
    `PREPARE q${i} AS ${text};\nEXECUTE q${i}${params.length ? `(${params.map(literal).join(', ')})` : ''};`,
)
const psqlScript = statements.join('\n')

// check_postgres: one process per action, as Nagios runs it; thresholds where the action demands them.
const CHECK_POSTGRES = '/usr/bin/check_postgres'
if (!existsSync(CHECK_POSTGRES) && process.getuid?.() === 0)
  spawnSync('apt-get', ['install', '-y', '-q', 'check-postgres'], {stdio: 'inherit'})
const ACTIONS = [
  ['connection'],
  ['backends'],
  ['txn_wraparound'],
  ['autovac_freeze'],
  ['txn_time', '-w', '5m', '-c', '1h'],
  ['txn_idle', '-w', '1m', '-c', '10m'],
  ['locks'],
  ['bloat'],
  ['last_vacuum'],
  ['last_analyze'],
  ['sequence'],
  ['hitratio'],
  ['replication_slots', '-w', '1GB', '-c', '10GB'],
  ['prepared_txns'],
  ['database_size', '-w', '100GB'],
  ['disabled_triggers'],
  ['archive_ready'],
  ['wal_files'],
]
const cpArgs = ['-H', url.hostname, '-p', url.port || '5432', '-db', DB, '-u', decodeURIComponent(url.username)]
const cpEnv = {PGPASSWORD: decodeURIComponent(url.password)}
const runCheckPostgres = () =>
  ACTIONS.reduce(
    (ms, [action, ...rest]) => ms + sh(CHECK_POSTGRES, [`--action=${action}`, ...cpArgs, ...rest], [0, 1, 2], cpEnv).ms,
    0,
  )
const haveCheckPostgres = existsSync(CHECK_POSTGRES)
if (!haveCheckPostgres)
  console.log('check_postgres: not installed (apt-get install check-postgres); its line is left out')

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const cases = [
  {
    name: 'fluxadmin health check (all checks)',
    cmd: process.execPath,
    args: [bin, 'health', 'check', '--db-url', dbUrl, '--format', 'json'],
    expect: [0, 1, 2],
  },
  {
    name: 'fluxadmin health check --format nagios',
    cmd: process.execPath,
    args: [bin, 'health', 'check', '--db-url', dbUrl, '--format', 'nagios'],
    expect: [0, 1, 2],
  },
  {
    name: `psql, the same ${statements.length} server queries`,
    cmd: 'psql',
    args: [dbUrl, '-X', '-q', '-o', '/dev/null', '-c', psqlScript],
  },
  {name: 'fluxadmin --version (start-up only)', cmd: process.execPath, args: [bin, '--version']},
]
const CP = `check_postgres, ${ACTIONS.length} actions one after another`
if (haveCheckPostgres) cases.splice(2, 0, {name: CP, run: runCheckPostgres})
const timeCase = (c) => (c.run ? c.run() : sh(c.cmd, c.args, c.expect).ms)
const times = new Map(cases.map((c) => [c.name, []]))
for (const c of cases) timeCase(c) // warm up
for (let i = 0; i < runs; i++) for (const c of cases) times.get(c.name).push(timeCase(c))
const report = JSON.parse(sh(process.execPath, cases[0].args, cases[0].expect).stdout)
console.log(`runs: ${runs} each, interleaved; median wall time (goal for health check: <= 2000 ms)`)
for (const c of cases) console.log(`${c.name.padEnd(48)} ${median(times.get(c.name)).toFixed(0).padStart(6)} ms`)
if (haveCheckPostgres) {
  const ratio = median(times.get(CP)) / median(times.get(cases[0].name))
  console.log(
    `check_postgres / fluxadmin: ${ratio.toFixed(1)}x (${report.length} fluxadmin checks in one process vs ${ACTIONS.length} check_postgres actions)`,
  )
}
console.log(`checks: ${report.map((c) => `${c.check}=${c.state}`).join(' ')}`)

if (process.env.FLUXADMIN_BENCH_KEEP) process.exit(0)
const drop = new pg.Client({connectionString: serverUrl})
await drop.connect()
await drop.query('SET statement_timeout = 0')
await drop.query(`DROP DATABASE IF EXISTS ${DB}`)
await drop.end()
