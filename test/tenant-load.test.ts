import {readFileSync, existsSync} from 'node:fs'
import {join} from 'node:path'
import test from 'ava'
import pg from 'pg'
import {openSession} from '../src/db/session.js'
import {resolveTarget} from '../src/db/resolve.js'
import {createDatabase} from '../src/sandbox/sandbox.js'
import {dataDir} from '../src/cluster/postmaster.js'
import {migrate} from '../src/schema/migrate.js'
import type {tenantLoad} from '../src/stats/tenant-load.js'
import {runCli} from './helpers/cli.js'
import {dedicatedCluster} from './helpers/cluster.js'
import {until} from './helpers/wait.js'
import {freshDb} from './helpers/db.js'

const SLUGS = ['hot', 'cold-a', 'cold-b', 'cold-c', 'cold-d']

/** Five organizations; returns their ids by slug. */
async function organizations(client: pg.Client): Promise<Record<string, string>> {
  const {rows} = await client.query(
    "INSERT INTO organizations (name, slug, type) SELECT initcap(s), s, 'independent' FROM unnest($1::text[]) s RETURNING id, slug",
    [SLUGS],
  )
  return Object.fromEntries(rows.map((r) => [r.slug, r.id]))
}

/** The organization of call i: 4 in 5 go to `hot`, the rest round the others. */
const orgOf = (i: number) => (i % 5 === 4 ? SLUGS[1 + (Math.floor(i / 5) % 4)] : 'hot')

type LoadRow = Awaited<ReturnType<typeof tenantLoad>>[number]

test('stats tenants --load --log: a load 80% one organization, logged as csvlog, jsonlog and stderr, names it first with its share', async (t) => {
  const cluster = await dedicatedCluster('tenant-load', {
    logging_collector: 'on',
    log_destination: "'stderr,csvlog,jsonlog'",
    log_directory: "'log'",
    log_filename: "'postgresql.log'",
    log_file_mode: '0644',
    log_line_prefix: "'%m [%p] %q%u@%d '",
    log_timezone: "'UTC'",
    log_parameter_max_length: -1,
  })
  t.teardown(() => cluster.stop())
  await createDatabase(cluster.url(), 'fluxstudio')
  const setup = await openSession(resolveTarget(cluster.url('fluxstudio')))
  await migrate(setup)
  const ids = await organizations(setup.client as pg.Client)
  // Only the load's sessions log their statements: the setup above is not in the log.
  await setup.client.query('ALTER DATABASE fluxstudio SET log_min_duration_statement = 0')
  await setup.close()

  const started = new Date()
  const clients = await Promise.all(
    [0, 1, 2, 3].map(async () => {
      const client = new pg.Client({connectionString: cluster.url('fluxstudio'), application_name: 'fa-load'})
      await client.connect()
      t.teardown(() => client.end().catch(() => {}))
      return client
    }),
  )
  // 4 clients x 60 calls: half by organization id (projects), half by slug (organizations).
  await Promise.all(
    clients.map(async (client, c) => {
      for (let i = c * 60; i < (c + 1) * 60; i++) {
        const slug = orgOf(i)
        if (i % 2 === 0) await client.query('SELECT count(*) FROM projects WHERE organization_id = $1', [ids[slug]])
        else await client.query('SELECT id FROM organizations WHERE slug = $1', [slug])
      }
    }),
  )
  await clients[0].query("SELECT 'tenant-load-done'")
  const logDir = join(dataDir(cluster.spec.dir), 'log')
  const files = ['postgresql.csv', 'postgresql.json', 'postgresql.log'].map((f) => join(logDir, f))
  await until(
    () => files.every((f) => existsSync(f) && readFileSync(f, 'utf8').includes('tenant-load-done')),
    'the three logs to have the load',
  )

  for (const file of files) {
    const result = await runCli([
      'stats',
      'tenants',
      '--load',
      '--log',
      file,
      '--db-url',
      cluster.url('fluxstudio'),
      '--format',
      'json',
    ])
    t.is(result.code, 0, `${file}: ${result.stderr}`)
    const rows = JSON.parse(result.stdout) as LoadRow[]
    t.like(rows[0], {slug: 'hot', calls: 192, by_parameter: 192, by_application: 0}, file)
    t.deepEqual(
      rows.slice(1, 5).map((r) => r.calls),
      [12, 12, 12, 12],
      file,
    )
    t.like(rows.at(-1), {slug: null, calls: 1}, `${file}: the marker statement belongs to no organization`)
    t.is(rows[0].calls_pct, Math.round((1000 * 192) / 241) / 10, file)
    t.true(rows[0].time_pct > 50, `${file}: most of the time too`)
  }
  const windowed = await runCli([
    'stats',
    'tenants',
    '--load',
    '--log',
    files[2],
    '--since',
    new Date(started.getTime() - 1000).toISOString(),
    '--db-url',
    cluster.url('fluxstudio'),
    '--format',
    'json',
  ])
  t.is(windowed.code, 0, windowed.stderr)
  t.is((JSON.parse(windowed.stdout) as LoadRow[])[0].calls, 192)
  const future = await runCli([
    'stats',
    'tenants',
    '--load',
    '--log',
    files[0],
    '--since',
    '2099-01-01',
    '--db-url',
    cluster.url('fluxstudio'),
    '--format',
    'json',
  ])
  t.deepEqual(JSON.parse(future.stdout), [], 'nothing in the window')

  const missing = await runCli([
    'stats',
    'tenants',
    '--load',
    '--log',
    join(logDir, 'nope.csv'),
    '--db-url',
    cluster.url('fluxstudio'),
  ])
  t.is(missing.code, 2)
  t.regex(missing.stderr, /^Error: cannot read --log .*nope\.csv: ENOENT\nHint: /)
  const both = await runCli([
    'stats',
    'tenants',
    '--load',
    '--log',
    files[0],
    '--sample',
    '1s',
    '--db-url',
    cluster.url('fluxstudio'),
  ])
  t.is(both.code, 2)
  const stray = await runCli(['stats', 'tenants', '--log', files[0], '--db-url', cluster.url('fluxstudio')])
  t.is(stray.code, 2)
  t.regex(stray.stderr, /--log goes with --load/)
})

test('stats tenants --load --sample: sessions tagged org=<slug> in application_name and literals in the text, sampled over a window', async (t) => {
  const db = await freshDb(t)
  await organizations(db.pg)
  let running = true
  const loops = await Promise.all(
    [
      ...['api org=hot', 'api org=hot', 'api org=hot', 'api org=hot'].map((app) => ({
        app,
        sql: 'SELECT pg_sleep(0.05)',
      })),
      {app: 'reports', sql: "SELECT pg_sleep(0.05) FROM organizations WHERE slug = 'cold-a'"},
    ].map(async ({app, sql}) => {
      const client = new pg.Client({connectionString: db.url, application_name: app})
      await client.connect()
      t.teardown(() => client.end().catch(() => {}))
      // Wrapped: an async function returning the loop's promise would wait for the loop itself.
      return {
        done: (async () => {
          while (running) await client.query(sql)
        })(),
      }
    }),
  )
  await until(
    async () =>
      (
        await db.pg.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE '%pg_sleep%'",
        )
      ).rows[0].n >= 3,
    'the load to run',
  )
  const result = await runCli(['stats', 'tenants', '--load', '--sample', '2s', '--db-url', db.url, '--format', 'json'])
  running = false
  await Promise.all(loops.map((l) => l.done))
  t.is(result.code, 0, result.stderr)
  const rows = JSON.parse(result.stdout) as LoadRow[]
  t.is(rows[0].slug, 'hot')
  t.log(rows.map((r) => `${r.slug}: ${r.calls} calls ${r.calls_pct}%, ${r.time_pct}% of the time`).join('; '))
  t.true(rows[0].by_application > 0 && rows[0].by_parameter === 0)
  t.true(rows[0].time_pct >= 65 && rows[0].time_pct <= 95, `hot: ${rows[0].time_pct}% of the sampled time`)
  const cold = rows.find((r) => r.slug === 'cold-a')
  t.true(cold !== undefined && cold.by_literal > 0, 'the literal slug in the text')
})
