// bench/onboard: `fluxadmin onboard` vs `psql -c "\copy ..."` on the same generated rows (10k and 100k),
// and vs psql running onboarding's own statements (sql/queries/tenants/onboard-*.sql: COPY, checks,
// users + one audit row each, memberships) on the same file: the database's share of the work.
// Starts a throwaway PostgreSQL (like `npm test`), so it needs only `npm run build`.
// Usage: node bench/onboard.js [rows...]            (default: 10000 100000)
//        node bench/onboard.js --memory [rows...]   peak RSS only, on files whose last line is bad, so that
//                                                   only COPY and the checks run (default: 100000 1000000 3000000)
import {spawn} from 'node:child_process'
import {chmodSync, createWriteStream, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {once} from 'node:events'
import {fileURLToPath} from 'node:url'
import pg from 'pg'
import {findServerBinaries} from '../dist/cluster/binaries.js'
import {clusterUrl, freePort, initCluster, serverUser, startCluster, stopCluster} from '../dist/cluster/control.js'
import {createDatabase} from '../dist/sandbox/sandbox.js'
import {resolveTarget} from '../dist/db/resolve.js'
import {openSession} from '../dist/db/session.js'
import {migrate} from '../dist/schema/migrate.js'
import {query} from '../dist/db/queries.js'
import {EMAIL_PATTERN, ORG_ROLES, USER_TYPES} from '../dist/input/validate.js'

const memoryOnly = process.argv.includes('--memory')
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0)
if (sizes.length === 0) sizes.push(...(memoryOnly ? [100_000, 1_000_000, 3_000_000] : [10_000, 100_000]))
const root = fileURLToPath(new URL('..', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'fluxadmin-bench-onboard-'))
chmodSync(dir, 0o755)
const bins = await findServerBinaries()
const spec = {
  dir: join(dir, 'cluster'),
  port: await freePort(),
  superuser: 'postgres',
  password: 'bench-pw',
  binDir: bins.binDir,
  runAs: serverUser(),
  settings: {max_connections: 20},
}

async function sql(url, text) {
  const client = new pg.Client({connectionString: url})
  await client.connect()
  try {
    return await client.query(text)
  } finally {
    await client.end()
  }
}

async function writeCsv(path, rows, badLastLine = false) {
  const out = createWriteStream(path)
  out.write('email,name,user_type,role,team\n')
  const types = ['client', 'designer', 'admin']
  for (let i = 1; i <= rows; i++) {
    const email = badLastLine && i === rows ? 'not-an-email' : `user${i}@bench.example.org`
    if (!out.write(`${email},Bench User ${i},${types[i % 3]},member,\n`)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
}

function timed(cmd, args, env = {}, expectCode = 0) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint()
    const child = spawn(cmd, args, {env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    child.on('error', reject)
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9
      if (code !== expectCode) reject(new Error(`${cmd} exited ${code}: ${stderr}`))
      else resolve({seconds, stdout, stderr})
    })
  })
}

/** A psql script that runs onboarding's statements, as fluxadmin sends them, on one file in one transaction. */
function sameStatementsScript(csv, orgId) {
  const literal = (v) => `'${String(v).replace(/'/g, "''")}'`
  const textArray = (a) => `ARRAY[${a.map(literal).join(', ')}]::text[]`
  const prepared = (name, types, args) => [
    `PREPARE ${name.replace(/\W/g, '_')}${types.length ? `(${types.join(', ')})` : ''} AS ${query(name).text};`,
    `EXECUTE ${name.replace(/\W/g, '_')}${args.length ? `(${args.join(', ')})` : ''};`,
  ]
  return [
    'BEGIN;',
    `${query('tenants/onboard-create-raw').text};`,
    `${query('tenants/onboard-create-table').text};`,
    `\\copy onboard_raw (c1, c2, c3, c4, c5) FROM ${literal(csv)} WITH (FORMAT csv, HEADER true)`,
    ...prepared('tenants/onboard-normalize', ['int', 'int', 'int', 'int', 'int'], [1, 2, 3, 4, 5]),
    ...prepared(
      'tenants/onboard-problems',
      ['uuid', 'text', 'text[]', 'text[]'],
      [literal(orgId), literal(EMAIL_PATTERN), textArray(USER_TYPES), textArray(ORG_ROLES)],
    ),
    ...prepared('tenants/onboard-duplicates', [], []),
    `${query('tenants/onboard-analyze').text};`,
    ...prepared(
      'tenants/onboard-users',
      ['text', 'jsonb'],
      [literal('psql'), literal(JSON.stringify({actor: 'bench', org_id: orgId}))],
    ),
    ...prepared('tenants/onboard-members', ['uuid'], [literal(orgId)]),
    ...prepared('tenants/onboard-team-members', ['uuid'], [literal(orgId)]),
    'COMMIT;',
  ].join('\n')
}

let stopped = false
async function stop() {
  if (stopped) return
  stopped = true
  await stopCluster(spec, 'immediate').catch(() => {})
  rmSync(dir, {recursive: true, force: true})
}
process.on('SIGINT', () => stop().then(() => process.exit(130)))

try {
  await initCluster(spec)
  await startCluster(spec)
  const admin = clusterUrl(spec, 'postgres')
  await createDatabase(admin, 'bench_template')
  const session = await openSession(resolveTarget(clusterUrl(spec, 'bench_template')))
  await migrate(session)
  await session.close()
  const results = []
  if (memoryOnly) {
    const url = clusterUrl(spec, 'bench_template')
    await sql(url, "INSERT INTO organizations (name, slug, type) VALUES ('Bench', 'bench-org', 'university')")
    const results = []
    for (const rows of sizes) {
      const csv = join(dir, `onboard-bad-${rows}.csv`)
      await writeCsv(csv, rows, true)
      const flux = await timed(
        process.execPath,
        [
          '-r',
          join(root, 'bench/rss-preload.cjs'),
          join(root, 'bin/run.js'),
          'onboard',
          csv,
          '--org',
          'bench-org',
          '--db-url',
          url,
          '--statement-timeout',
          '10min',
        ],
        {},
        2,
      )
      if (!/1 bad line/.test(flux.stderr)) throw new Error(`expected one bad line: ${flux.stderr}`)
      results.push({
        rows,
        seconds: flux.seconds.toFixed(2),
        fluxadmin_peak_rss_mb: (Number(/bench:maxrss_kb=(\d+)/.exec(flux.stderr)[1]) / 1024).toFixed(1),
      })
    }
    console.log(
      'bench/onboard --memory: peak RSS of onboard reading the whole file (COPY and every check; the last line is bad, so nothing is written)',
    )
    console.table(results)
    sizes.length = 0
  }
  for (const rows of sizes) {
    const csv = join(dir, `onboard-${rows}.csv`)
    await writeCsv(csv, rows)
    const db = `bench_${rows}`
    await createDatabase(admin, db, 'bench_template')
    const url = clusterUrl(spec, db)
    await sql(url, "INSERT INTO organizations (name, slug, type) VALUES ('Bench', 'bench-org', 'university')")
    await sql(url, 'CREATE TABLE users_copy (LIKE users INCLUDING ALL)')
    const flux = await timed(
      process.execPath,
      [
        '-r',
        join(root, 'bench/rss-preload.cjs'),
        join(root, 'bin/run.js'),
        'onboard',
        csv,
        '--org',
        'bench-org',
        '--db-url',
        url,
        '--format',
        'json',
        '--statement-timeout',
        '10min',
      ],
      {FLUXADMIN_ACTOR: 'bench'},
    )
    const summary = JSON.parse(flux.stdout)[0]
    if (summary.created !== rows) throw new Error(`onboard created ${summary.created} of ${rows}`)
    const rssKb = Number(/bench:maxrss_kb=(\d+)/.exec(flux.stderr)[1])
    const psql = await timed('psql', [
      url,
      '-v',
      'ON_ERROR_STOP=1',
      '-q',
      '-c',
      `\\copy users_copy (email, name, user_type) FROM PROGRAM 'cut -d, -f1-3 ${csv}' WITH (FORMAT csv, HEADER)`,
    ])
    const {
      rows: [{n}],
    } = await sql(url, 'SELECT count(*)::int AS n FROM users_copy')
    if (n !== rows) throw new Error(`psql loaded ${n} of ${rows}`)

    const same = `${db}_psql`
    await createDatabase(admin, same, 'bench_template')
    const sameUrl = clusterUrl(spec, same)
    const {
      rows: [org],
    } = await sql(
      sameUrl,
      "INSERT INTO organizations (name, slug, type) VALUES ('Bench', 'bench-org', 'university') RETURNING id",
    )
    const script = join(dir, `same-${rows}.sql`)
    writeFileSync(script, sameStatementsScript(csv, org.id))
    const statements = await timed('psql', [sameUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-o', '/dev/null', '-f', script])
    const {
      rows: [{members}],
    } = await sql(sameUrl, 'SELECT count(*)::int AS members FROM organization_members')
    if (members !== rows) throw new Error(`psql running onboarding's statements added ${members} of ${rows} members`)

    results.push({
      rows,
      fluxadmin_s: flux.seconds.toFixed(2),
      psql_copy_s: psql.seconds.toFixed(2),
      ratio: (flux.seconds / psql.seconds).toFixed(2),
      psql_same_statements_s: statements.seconds.toFixed(2),
      ratio_same: (flux.seconds / statements.seconds).toFixed(2),
      fluxadmin_peak_rss_mb: (rssKb / 1024).toFixed(1),
    })
  }
  if (!memoryOnly) {
    console.log(
      'bench/onboard: fluxadmin onboard (validate + COPY + users, memberships, one audit row per user, one transaction)',
    )
    console.log('               vs psql \\copy into an empty copy of users (same rows, users columns only): ratio')
    console.log(
      "               vs psql running onboarding's statements on the same file (the database's share): ratio_same",
    )
    console.table(results)
  }
} catch (error) {
  console.error(`bench/onboard: ${error.message}`)
  process.exitCode = 1
} finally {
  await stop()
}
