// Benchmark: `fluxadmin stats top` / `stats tenants` / `stats snapshot` / `stats top --since` next to psql running
// the same SQL directly (the reference: what an on-call engineer pastes from a wiki). Wall time per run,
// including process start, median of N runs.
// Usage: node bench/stats.js [DB_URL] [runs]   (default: FLUXADMIN_DB_URL, else the running sandbox; 5 runs)
import {execFileSync, spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = `${root}bin/run.js`
const url =
  process.argv[2] ||
  process.env.FLUXADMIN_DB_URL ||
  execFileSync(process.execPath, [bin, 'sandbox', 'url'], {encoding: 'utf8'}).trim()
const runs = Number(process.argv[3] || 5)
const env = {...process.env, FLUXADMIN_DB_URL: url, NO_COLOR: '1'}

function time(cmd, args) {
  const times = []
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint()
    const r = spawnSync(cmd, args, {env, encoding: 'utf8', maxBuffer: 1 << 28})
    times.push(Number(process.hrtime.bigint() - start) / 1e6)
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`)
  }
  times.sort((a, b) => a - b)
  return {ms: times[Math.floor(times.length / 2)]}
}

const psql = (sql) => time('psql', ['-X', '-q', '-A', '-F', ',', '-d', url, '-c', sql])
const fluxadmin = (...args) => time(process.execPath, [bin, ...args, '--format', 'csv'])
const body = (name) =>
  readFileSync(`${root}sql/queries/stats/${name}.sql`, 'utf8')
    .split('\n')
    .filter((l) => !l.startsWith('--'))
    .join('\n')

const directTop = `SELECT queryid, calls, total_exec_time, mean_exec_time, stddev_exec_time, rows, shared_blks_hit, shared_blks_read, temp_blks_written, query
  FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 20`
const count = execFileSync('psql', ['-X', '-A', '-t', '-d', url, '-c', 'SELECT count(*) FROM pg_stat_statements'], {
  encoding: 'utf8',
}).trim()
const orgs = execFileSync(
  'psql',
  [
    '-X',
    '-A',
    '-t',
    '-d',
    url,
    '-c',
    "SELECT count(*) || ' organizations, ' || (SELECT count(*) FROM messages) || ' messages' FROM organizations",
  ],
  {encoding: 'utf8'},
).trim()
execFileSync(process.execPath, [bin, 'stats', 'snapshot', '--format', 'csv'], {env, stdio: 'ignore'})

const rows = [
  ['start-up only (--version / SELECT 1)', time(process.execPath, [bin, '--version']), psql('SELECT 1')],
  ['stats top -n 20', fluxadmin('stats', 'top', '-n', '20'), psql(directTop)],
  [
    'stats tenants',
    fluxadmin('stats', 'tenants'),
    psql(
      `PREPARE t(text, timestamptz, int) AS ${body('tenants')}; EXECUTE t('total', now() - interval '30 days', NULL)`,
    ),
  ],
  ['stats table-size', fluxadmin('stats', 'table-size'), psql(body('table-size'))],
  ['stats snapshot', fluxadmin('stats', 'snapshot', '--keep', '1d'), null],
  ['stats top --since 1h', fluxadmin('stats', 'top', '--since', '1h', '-n', '20'), null],
]
console.log(`pg_stat_statements: ${count} statements; ${orgs}; median of ${runs} runs, wall time with process start`)
console.log(['what', 'fluxadmin ms', 'psql ms (same SQL)'].join('\t'))
for (const [what, ours, ref] of rows) console.log([what, ours.ms.toFixed(0), ref ? ref.ms.toFixed(0) : '-'].join('\t'))
