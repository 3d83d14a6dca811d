// bench/tenant-export: `orgs export` of one organization with 100,000 messages next to psql running
// `\copy (the same SELECTs) to FILE` in one session, and `orgs import` next to psql `\copy TABLE from FILE`
// of the same parts in one transaction (psql -1), into fresh migrated databases. Prints the best of
// --repeat runs (default 2) after a warm-up, the ratios and fluxadmin's peak RSS.
//
//   npm run build && node bench/tenant-export.js                # starts a throwaway PostgreSQL
//   node bench/tenant-export.js --db-url postgres://postgres:pw@host:5432/postgres --messages 100000
import {execFileSync, spawnSync} from 'node:child_process'
import {chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import pg from 'pg'
import {PARTS} from '../dist/lifecycle/parts.js'
import {query} from '../dist/db/queries.js'
import {resolveTarget} from '../dist/db/resolve.js'
import {openSession} from '../dist/db/session.js'
import {findServerBinaries} from '../dist/cluster/binaries.js'
import {clusterUrl, freePort, initCluster, serverUser, startCluster, stopCluster} from '../dist/cluster/control.js'
import {createDatabase} from '../dist/sandbox/sandbox.js'
import {migrate} from '../dist/schema/migrate.js'

const argv = process.argv.slice(2)
const arg = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback)
const messages = Number(arg('--messages', 100_000))
const repeat = Number(arg('--repeat', 2))
const root = fileURLToPath(new URL('..', import.meta.url))
const bin = join(root, 'bin', 'run.js')
const dir = mkdtempSync(join(tmpdir(), 'fa-tenant-bench-'))
chmodSync(dir, 0o755)

let spec
let admin = arg('--db-url')
if (!admin) {
  const bins = await findServerBinaries()
  spec = {
    dir: join(dir, 'cluster'),
    port: await freePort(),
    superuser: 'postgres',
    password: 'bench-pw',
    binDir: bins.binDir,
    runAs: serverUser(),
    settings: {},
  }
  await initCluster(spec)
  await startCluster(spec)
  admin = clusterUrl(spec, 'postgres')
}
const urlFor = (db) => Object.assign(new URL(admin), {pathname: `/${db}`}).toString()

async function freshDatabase(name) {
  const c = new pg.Client({connectionString: admin})
  await c.connect()
  const {
    rows: [{sql}],
  } = await c.query(query('db/drop-database-statement').text, [name])
  await c.query(sql)
  await c.end()
  await createDatabase(admin, name)
  const session = await openSession(resolveTarget(urlFor(name)))
  await migrate(session)
  await session.close()
  return urlFor(name)
}

/** Runs a tool to completion (output discarded); its wall time and, for node, its peak RSS. */
async function run(command, args, {env = {}} = {}) {
  const started = process.hrtime.bigint()
  const r = spawnSync(command, args, {
    env: {...process.env, ...env},
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  })
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr}`)
  return {
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    rssMb: Number(/maxrss_kb=(\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024,
  }
}
const RSS_HOOK =
  "data:text/javascript,process.on('exit',()=>process.stderr.write('maxrss_kb='+process.resourceUsage().maxRSS+'\\n'))"
const fluxadmin = (args, url) =>
  run(
    process.execPath,
    [`--import=${RSS_HOOK}`, bin, ...args, '--db-url', url, '--statement-timeout', '10min', '--format', 'csv'],
    {env: {FLUXADMIN_ACTOR: 'bench'}},
  )
const psql = (url, commands, single = false) =>
  run('psql', [
    url,
    '-X',
    '-q',
    '-v',
    'ON_ERROR_STOP=1',
    ...(single ? ['-1'] : []),
    ...commands.flatMap((c) => ['-c', c]),
  ])
async function best(fn, reset) {
  let top
  for (let i = 0; i <= repeat; i++) {
    await reset?.()
    const r = await fn()
    if (i > 0 && (!top || r.seconds < top.seconds)) top = {...r, rssMb: Math.max(r.rssMb, top?.rssMb ?? 0)}
  }
  return top
}

try {
  const source = await freshDatabase('fa_bench_source')
  const c = new pg.Client({connectionString: source})
  await c.connect()
  console.log(`seeding one organization with ${messages.toLocaleString('en-US')} messages (and a second one)`)
  await c.query(
    `INSERT INTO users (email, name, user_type, password_hash) SELECT 'u' || g || '@example.org', 'User ' || g, 'client', 'hash' || g FROM generate_series(1, 400) g`,
  )
  await c.query(
    `INSERT INTO organizations (name, slug, type) VALUES ('Bench', 'bench', 'studio'), ('Other', 'other', 'studio')`,
  )
  await c.query(
    `INSERT INTO organization_members (organization_id, user_id) SELECT o.id, u.id FROM organizations o JOIN users u ON (o.slug = 'bench') = (u.email < 'u3')`,
  )
  await c.query(
    `INSERT INTO conversations (organization_id, name) SELECT o.id, 'room ' || g FROM organizations o, generate_series(1, 20) g`,
  )
  await c.query(
    `INSERT INTO conversation_participants (conversation_id, user_id) SELECT c.id, m.user_id FROM conversations c JOIN organization_members m USING (organization_id)`,
  )
  await c.query(
    `INSERT INTO messages (conversation_id, author_id, content, mentions, attachments, created_at)
    SELECT c.id, (SELECT user_id FROM organization_members WHERE organization_id = c.organization_id ORDER BY user_id OFFSET (g % 50) LIMIT 1),
           'message ' || g || E' with a tab\\t, a backslash \\\\ and Grüße ' || repeat('lorem ipsum ', 1 + g % 20), ARRAY[]::uuid[], '[]', now() - g * interval '1 minute'
    FROM generate_series(1, $1) g, LATERAL (SELECT id, organization_id FROM conversations WHERE organization_id = (SELECT id FROM organizations WHERE slug = 'bench') ORDER BY id OFFSET g % 20 LIMIT 1) c`,
    [messages],
  )
  await c.query('VACUUM ANALYZE')
  const {
    rows: [{id: orgId}],
  } = await c.query("SELECT id FROM organizations WHERE slug = 'bench'")
  await c.end()

  // psql runs the export's own SELECTs, scoped with a session SET instead of set_config(.., true).
  const archive = join(dir, 'bench.tar')
  const parts = join(dir, 'psql')
  mkdirSync(parts)
  const selects = PARTS.map((t) =>
    query(`lifecycle/export-${t}`)
      .statement.replace(/^COPY\s*/, '')
      .replace(/\s*TO STDOUT$/, '')
      .replace(/\s+/g, ' '),
  )
  const scope = [
    `SET fluxadmin.lifecycle_org = '${orgId}'`,
    "SET fluxadmin.lifecycle_secrets = 'on'",
    "SET TimeZone = 'UTC'",
  ]
  const psqlExport = await best(() =>
    psql(source, [...scope, ...selects.map((s, i) => `\\copy ${s} to '${join(parts, `${PARTS[i]}.copy`)}'`)]),
  )
  const faExport = await best(
    () => fluxadmin(['orgs', 'export', 'bench', '--with-secrets', '--out', archive], source),
    () => rmSync(archive, {force: true}),
  )
  const extracted = join(dir, 'extracted')
  mkdirSync(extracted)
  execFileSync('tar', ['-xf', archive, '-C', extracted])
  // security_events differs by the audit rows of the earlier `orgs export` runs (they belong to the organization).
  const differ = PARTS.filter(
    (t) => !readFileSync(join(parts, `${t}.copy`)).equals(readFileSync(join(extracted, `${t}.copy`))),
  )

  const target = 'fa_bench_target'
  const psqlImport = await best(
    () =>
      psql(
        urlFor(target),
        PARTS.map((t) => `\\copy ${t} from '${join(parts, `${t}.copy`)}'`),
        true,
      ),
    () => freshDatabase(target),
  )
  const faImport = await best(
    () => fluxadmin(['orgs', 'import', archive, '--yes'], urlFor(target)),
    () => freshDatabase(target),
  )

  const f = (n) => n.toFixed(2)
  console.log(
    `\narchive ${(statSync(archive).size / 1e6).toFixed(1)} MB; parts that differ from psql's files: ${differ.join(', ') || 'none'}; best of ${repeat} after a warm-up`,
  )
  console.log('step    tool                           seconds  ratio  peak RSS MB')
  console.log(`export  psql \\copy (same SELECTs)     ${f(psqlExport.seconds).padStart(7)}   1.00            -`)
  console.log(
    `export  fluxadmin orgs export          ${f(faExport.seconds).padStart(7)}  ${f(faExport.seconds / psqlExport.seconds).padStart(5)}  ${f(faExport.rssMb).padStart(11)}`,
  )
  console.log(`import  psql -1 \\copy FROM            ${f(psqlImport.seconds).padStart(7)}   1.00            -`)
  console.log(
    `import  fluxadmin orgs import          ${f(faImport.seconds).padStart(7)}  ${f(faImport.seconds / psqlImport.seconds).padStart(5)}  ${f(faImport.rssMb).padStart(11)}`,
  )
  console.log(
    `\ngoal export <= 1.5x: ${f(faExport.seconds / psqlExport.seconds)}x ${faExport.seconds / psqlExport.seconds <= 1.5 ? 'met' : 'NOT met'}; goal import <= 2x: ${f(faImport.seconds / psqlImport.seconds)}x ${faImport.seconds / psqlImport.seconds <= 2 ? 'met' : 'NOT met'}`,
  )
} finally {
  if (spec) await stopCluster(spec, 'immediate')
  rmSync(dir, {recursive: true, force: true})
}
