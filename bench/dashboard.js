// bench/dashboard: database time per dashboard tick and CPU of the live view at the default interval.
//
//   FLUXADMIN_SANDBOX_DIR=/var/lib/fluxadmin/sb-dashboard node bin/run.js sandbox start --size large
//   FLUXADMIN_SANDBOX_DIR=/var/lib/fluxadmin/sb-dashboard node bench/dashboard.js [--ticks 60] [--cpu-seconds 30]
//
// 1. Runs the dashboard's tick (dist/dashboard/tick.js: one read-only transaction with every pane's
//    statements) N times on one connection and reports the wall time per tick as the client sees it
//    (goal <= 10 ms), next to psql running the same statements in one session (the reference).
// 2. Starts `fluxadmin dashboard` in a real terminal (tmux, 200x50) at the default 2 s interval with
//    16 sessions to show, and reads the process's CPU time from /proc over a window (goal <= 5 %
//    of one core).
import {spawn, spawnSync} from 'node:child_process'
import {readFileSync, mkdtempSync, writeFileSync} from 'node:fs'
import {loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import pg from 'pg'
import {query} from '../dist/db/queries.js'
import {resolveTarget} from '../dist/db/resolve.js'
import {openSession} from '../dist/db/session.js'
import {runningSandbox} from '../dist/sandbox/state.js'
import {capabilities, newMemory, runTick, TENANTS_EVERY_MS} from '../dist/dashboard/tick.js'

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}
const TICKS = arg('ticks', 60)
const CPU_SECONDS = arg('cpu-seconds', 30)
const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const pick = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))]
  return {median: pick(0.5), p95: pick(0.95), max: s.at(-1), mean: s.reduce((a, b) => a + b, 0) / s.length}
}
const ms = (n) => `${n.toFixed(2)} ms`

const sandbox = runningSandbox()
if (!sandbox) {
  console.error(
    'bench/dashboard: no running sandbox; start one with FLUXADMIN_SANDBOX_DIR=... node bin/run.js sandbox start --size large',
  )
  process.exit(1)
}
const url = sandbox.url
console.log(
  `bench/dashboard against ${url.replace(/:[^:@/]*@/, ':***@')} (load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')})`,
)

// Some activity to show: 16 sessions, 4 of them in a blocking chain (here), 12 running queries (psql
// processes, so that they do not share this process's event loop with the measured ticks).
const sleepers = Array.from({length: 12}, (_, i) =>
  spawn('psql', ['-X', '-q', '-c', `SELECT pg_sleep(600) /* bench-${i} */`, url], {stdio: 'ignore'}),
)
const extra = []
for (let i = 0; i < 4; i++) {
  const c = new pg.Client({connectionString: url, application_name: `bench-${i}`})
  c.on('error', () => {})
  await c.connect()
  extra.push(c)
}
await extra[0].query('CREATE TABLE IF NOT EXISTS bench_dashboard_lock (id int)')
await extra[0].query('BEGIN; LOCK TABLE bench_dashboard_lock IN SHARE MODE')
for (const c of extra.slice(1, 4)) c.query('BEGIN; LOCK TABLE bench_dashboard_lock IN EXCLUSIVE MODE').catch(() => {})

// 1. Database time per tick.
const session = await openSession(resolveTarget(url))
const caps = await capabilities(session)
const memory = newMemory()
await runTick(session, memory, {filter: {}, caps})
await runTick(session, memory, {filter: {}, caps})
// Server-side execution time of everything that completes during the loop (only the ticks do, on
// this private sandbox): pg_stat_statements before and after.
const admin = extra[0]
const serverTotal = async () =>
  (
    await admin.query(
      "SELECT coalesce(sum(total_exec_time), 0) AS ms FROM pg_stat_statements WHERE query NOT LIKE '%bench-snapshot%' /* bench-snapshot */",
    )
  ).rows[0].ms
const server0 = await serverTotal()
const times = []
let withTenants = 0
for (let i = 0; i < TICKS; i++) {
  const before = memory.tenants?.at
  const data = await runTick(session, memory, {filter: {}, caps})
  if (memory.tenants?.at !== before) withTenants = data.db_ms
  else times.push(data.db_ms)
  await sleep(20)
}
const serverPerTick = ((await serverTotal()) - server0) / TICKS
memory.tenants = undefined
withTenants = (await runTick(session, memory, {filter: {}, caps})).db_ms
await session.close()
const tick = stats(times)

// Reference: psql runs the same statements in one session (\timing reports each statement's round trip).
const dir = mkdtempSync(join(tmpdir(), 'fa-bench-dash-'))
const script = join(dir, 'tick.sql')
const server = {versionNum: session.server.versionNum, pgStatStatements: caps.statements_version}
const bare = (name) =>
  query(name, server)
    .text.split('\n')
    .filter((l) => !l.startsWith('--'))
    .join('\n')
    .trim()
const one = [
  'BEGIN READ ONLY;',
  `${bare('dashboard/overview')};`,
  `${bare('activity/sessions').replace('$1::interval', "'0'::interval").replace('$2::boolean', 'false').replaceAll('$3::text', 'NULL::text').replaceAll('$4::text', 'NULL::text').replaceAll('$5::text', 'NULL::text')};`,
  `${bare('activity/blocking')};`,
  `${bare('dashboard/statements')};`,
  'COMMIT;',
].join('\n')
writeFileSync(script, `\\timing on\n\\o /dev/null\n${Array.from({length: 20}, () => one).join('\n')}\n`)
const psql = spawnSync('psql', ['-X', '-q', '-f', script, url], {encoding: 'utf8'})
const psqlTimes = [...psql.stdout.matchAll(/Time: ([\d.]+) ms/g)].map((m) => Number(m[1]))
const perTick = []
for (let i = 0; i + 6 <= psqlTimes.length; i += 6) perTick.push(psqlTimes.slice(i, i + 6).reduce((a, b) => a + b, 0))

console.log('')
console.log('database time per tick (one read-only transaction: overview, activity, lock tree, pg_stat_statements)')
console.log(
  `  fluxadmin dashboard tick        median ${ms(tick.median)}  p95 ${ms(tick.p95)}  max ${ms(tick.max)}  (${times.length} ticks, goal <= 10 ms)`,
)
console.log(
  `  server execution time per tick  ${ms(serverPerTick)}  (pg_stat_statements; the rest is round trips and client scheduling)`,
)
console.log(`  ... with the tenants query       ${ms(withTenants)}  (once every ${TENANTS_EVERY_MS / 1000} s)`)
if (perTick.length) {
  const ref = stats(perTick)
  console.log(
    `  psql, same statements (ref)     median ${ms(ref.median)}  p95 ${ms(ref.p95)}  (${perTick.length} rounds, without the tenants query)`,
  )
}

// 2. CPU of the live view at the default interval, in a real terminal.
const socket = `fa-bench-${process.pid}`
const tmux = (...args) =>
  spawnSync('tmux', ['-L', socket, ...args], {encoding: 'utf8', env: {...process.env, TERM: 'xterm-256color'}})
const started = tmux(
  'new-session',
  '-d',
  '-s',
  'bench',
  '-x',
  '200',
  '-y',
  '50',
  `exec '${process.execPath}' '${BIN}' dashboard --db-url '${url}' --idle`,
)
if (started.status !== 0) {
  console.log(`CPU: tmux not available (${started.stderr.trim()})`)
} else {
  const pid = Number(tmux('display-message', '-p', '-t', 'bench', '#{pane_pid}').stdout.trim())
  const cpuTicks = () => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return Number(fields[11]) + Number(fields[12]) // utime + stime, in clock ticks
  }
  const hz = Number(spawnSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).stdout.trim()) || 100
  await sleep(5000) // start-up (module loading, first ticks) is not the steady state
  const t0 = performance.now()
  const c0 = cpuTicks()
  await sleep(CPU_SECONDS * 1000)
  const c1 = cpuTicks()
  const seconds = (performance.now() - t0) / 1000
  const startup = c0 / hz
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024
  const screen = tmux('capture-pane', '-p', '-t', 'bench').stdout
  tmux('send-keys', '-t', 'bench', 'q')
  await sleep(1000)
  tmux('kill-server')
  console.log('')
  console.log(
    `CPU of \`fluxadmin dashboard\` at the default 2 s interval (tmux 200x50, ${CPU_SECONDS} s window after 5 s)`,
  )
  console.log(
    `  process CPU                     ${(((c1 - c0) / hz / seconds) * 100).toFixed(2)} % of one core  (goal <= 5 %; start-up took ${startup.toFixed(2)} s CPU; RSS ${rss.toFixed(0)} MB)`,
  )
  if (!/fluxadmin dashboard/.test(screen)) console.log('  (warning: the dashboard was not on screen)')
}

for (const p of sleepers) p.kill('SIGTERM')
// psql going away does not stop pg_sleep on the server: end those backends too.
await extra[0]
  .query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(600) /* bench-%'")
  .catch(() => {})
await extra[0].query('ROLLBACK').catch(() => {})
await extra[0].query('DROP TABLE IF EXISTS bench_dashboard_lock').catch(() => {})
await Promise.all(extra.map((c) => c.end().catch(() => {})))
