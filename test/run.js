// `npm test`: starts a throwaway PostgreSQL (same code as the sandbox), builds a migrated template
// database, runs ava with its address in the environment, and stops the server whatever happens.
// `node test/run.js --timing [files]` also prints the slowest test files, with CPU time: a busy
// machine stretches wall time, far less the CPU a file costs (its worker and the CLI runs it waited for).
import {spawn} from 'node:child_process'
import {chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {findServerBinaries} from '../dist/cluster/binaries.js'
import {clusterUrl, freePort, initCluster, serverUser, startCluster, stopCluster} from '../dist/cluster/control.js'
import {createDatabase} from '../dist/sandbox/sandbox.js'
import {resolveTarget} from '../dist/db/resolve.js'
import {openSession} from '../dist/db/session.js'
import {migrate} from '../dist/schema/migrate.js'
import {childCpuSeconds} from './helpers/file-timing.js'
import {findCitusBinaries, initNodes, startNodes, stopNodes} from '../dist/cluster/citus.js'

const TEMPLATE = 'fluxadmin_template'
const dir = mkdtempSync(join(tmpdir(), 'fluxadmin-test-'))
// The server may run as another user (when we are root): it must be able to reach its directory.
chmodSync(dir, 0o755)
const bins = await findServerBinaries()
const runAs = serverUser()
// Also a Unix socket, for the tests of socket connections (libpq's default when no host is given).
const socketDir = join(dir, 'socket')
mkdirSync(socketDir, {mode: 0o755})
if (runAs) chownSync(socketDir, runAs.uid, runAs.gid)
const spec = {
  dir: join(dir, 'cluster'),
  port: await freePort(),
  superuser: 'postgres',
  password: 'test-secret-pw',
  binDir: bins.binDir,
  runAs,
  settings: {
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: 300,
    'pg_stat_statements.max': 50000,
    max_prepared_transactions: 10,
    unix_socket_directories: `'${socketDir}'`,
  },
}
const args = process.argv.slice(2)
const timing = args.includes('--timing') ? join(dir, 'timing.ndjson') : undefined
const started = performance.now()

// The 3-node Citus cluster (coordinator and two workers) of the Citus tests, started once for the run when the whole
// suite runs, a test file named *citus* is given, or FLUXADMIN_TEST_CITUS=1. Without Citus installed those tests are
// skipped and say why; under CI=true that fails the run instead.
const files = args.filter((a) => !a.startsWith('-'))
const citusWanted = process.env.FLUXADMIN_TEST_CITUS === '1' || files.length === 0 || files.some((f) => /citus/.test(f))
let citus
let citusSkip = citusWanted
  ? undefined
  : 'no Citus test file among the files given (FLUXADMIN_TEST_CITUS=1 starts the cluster anyway)'
let stopping = false
async function stop(code) {
  if (stopping) return
  stopping = true
  await warnOfEvictions()
  if (timing) printTiming()
  if (citus)
    await stopNodes(citus, 'immediate').catch((e) =>
      console.error(`test: could not stop the Citus cluster: ${e.message}`),
    )
  await stopCluster(spec, 'immediate').catch((e) => console.error(`test: could not stop PostgreSQL: ${e.message}`))
  rmSync(dir, {recursive: true, force: true})
  process.exit(code)
}
// Every test database is a separate dbid, so each has its own statements: once they outnumber
// pg_stat_statements.max, entries are evicted and the stats tests see counts and texts they did not make.
async function warnOfEvictions() {
  const session = await openSession(resolveTarget(clusterUrl(spec, TEMPLATE))).catch(() => undefined)
  if (!session) return
  const {
    rows: [info],
  } = await session.client
    .query('SELECT dealloc, (SELECT count(*) FROM pg_stat_statements) AS entries FROM pg_stat_statements_info')
    .catch(() => ({rows: [{}]}))
  await session.close()
  if (Number(info.dealloc) > 0)
    console.error(
      `test: pg_stat_statements evicted entries ${info.dealloc} times (${info.entries} held): raise pg_stat_statements.max in test/run.js`,
    )
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(130))

/** The slowest files by CPU time, and the whole run: test processes and the PostgreSQL server. */
function printTiming() {
  const files = existsSync(timing)
    ? readFileSync(timing, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : []
  const cpu = (f) => f.cpu_s + f.spawned_cpu_s
  files.sort((a, b) => cpu(b) - cpu(a))
  console.error(
    '\ntest: slowest files by CPU time (the worker, and the CLI runs it spawned)\n  cpu s  worker  spawned   wall s  runs  file',
  )
  for (const f of files.slice(0, 15)) {
    console.error(
      `${[cpu(f), f.cpu_s, f.spawned_cpu_s, f.wall_s].map((n, i) => n.toFixed(1).padStart(i === 0 ? 7 : 8)).join('')}${String(f.cli_runs).padStart(6)}  ${f.file}`,
    )
  }
  const pid = Number(readFileSync(join(spec.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0])
  const server = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .split(') ')[1]
    .split(' ')
    .slice(11, 15)
    .reduce((sum, ticks) => sum + Number(ticks) / 100, 0)
  console.error(
    `test: ${files.length} files, ${files.reduce((n, f) => n + f.cli_runs, 0)} CLI runs, in ${((performance.now() - started) / 1000).toFixed(0)} s wall; CPU: ${childCpuSeconds().toFixed(0)} s in test processes, ${server.toFixed(0)} s in PostgreSQL (postmaster and the backends that ended)`,
  )
}

try {
  console.error(
    `test: PostgreSQL from ${bins.source} binaries (${bins.binDir}) on 127.0.0.1:${spec.port}${spec.runAs ? `, running as ${spec.runAs.name}` : ''}`,
  )
  await initCluster(spec)
  await startCluster(spec)
  const adminUrl = clusterUrl(spec, 'postgres')
  await createDatabase(adminUrl, TEMPLATE)
  const session = await openSession(resolveTarget(clusterUrl(spec, TEMPLATE)))
  await migrate(session)
  await session.client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements')
  await session.close()
} catch (error) {
  console.error(`test: could not prepare PostgreSQL: ${error.message}`)
  await stop(1)
}

if (citusWanted) {
  try {
    const started = Date.now()
    const binDir = findCitusBinaries()
    citus = await initNodes(join(dir, 'citus'), {
      superuser: 'postgres',
      password: spec.password,
      binDir,
      runAs,
      settings: {
        fsync: 'off',
        synchronous_commit: 'off',
        full_page_writes: 'off',
        max_connections: 200,
        shared_buffers: '64MB',
      },
    })
    await startNodes(citus)
    // The coordinator's template is migrated but has no citus extension yet: its maintenance daemon would keep
    // sessions in it, and CREATE DATABASE ... TEMPLATE refuses a template in use (test/helpers/citus.ts adds it per file).
    await createDatabase(clusterUrl(citus.coordinator, 'postgres'), TEMPLATE)
    const session = await openSession(resolveTarget(clusterUrl(citus.coordinator, TEMPLATE)))
    await migrate(session)
    await session.close()
    console.error(
      `test: Citus cluster from ${binDir}: coordinator 127.0.0.1:${citus.coordinator.port}, workers ${citus.workers.map((w) => `127.0.0.1:${w.port}`).join(', ')} (${Date.now() - started} ms)`,
    )
  } catch (error) {
    citusSkip = error.message + (error.hint ? ` (${error.hint})` : '')
    if (citus) await stopNodes(citus, 'immediate').catch(() => {})
    citus = undefined
    if (process.env.CI === 'true') {
      console.error(`test: CI needs the Citus cluster and could not start it: ${citusSkip}`)
      await stop(1)
    }
    console.error(`test: the Citus tests are skipped: ${citusSkip}`)
  }
}

const env = {...process.env}
for (const name of Object.keys(env)) if (/^PG|^DATABASE_URL$|^FLUXADMIN_/.test(name)) delete env[name]
// Node parses this bundle at every start (0.1 s of CPU per process, about a third of a CLI run), and the suite
// starts thousands; no test reaches a server whose certificate a public CA signed.
delete env.NODE_EXTRA_CA_CERTS
Object.assign(env, {
  FLUXADMIN_TEST_ADMIN_URL: clusterUrl(spec, 'postgres'),
  FLUXADMIN_TEST_TEMPLATE: TEMPLATE,
  FLUXADMIN_TEST_PG_BIN: bins.binDir,
  FLUXADMIN_TEST_DIR: dir,
  FLUXADMIN_TEST_SOCKET_DIR: socketDir,
  // test/helpers/citus.ts: the nodes (specs, as src/citus/cluster.ts takes them), or why there are none.
  ...(citus
    ? {
        FLUXADMIN_TEST_CITUS_NODES: JSON.stringify(citus),
        FLUXADMIN_TEST_CITUS_URL: clusterUrl(citus.coordinator, 'postgres'),
      }
    : {FLUXADMIN_TEST_CITUS_SKIP: citusSkip}),
  // e2e tests must never fall back to a developer's real sandbox.
  FLUXADMIN_SANDBOX_DIR: join(dir, 'no-sandbox'),
})
if (timing) env.FLUXADMIN_TEST_TIMING = timing
const ava = spawn(process.execPath, ['node_modules/ava/entrypoints/cli.mjs', ...args.filter((a) => a !== '--timing')], {
  stdio: 'inherit',
  env,
})
ava.on('close', (code) => stop(code ?? 1))
