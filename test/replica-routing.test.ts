import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import test from 'ava'
import {freePort} from '../src/cluster/control.js'
import {query} from '../src/db/queries.js'
import {runCli} from './helpers/cli.js'
import type {TestDb} from './helpers/db.js'
import {until, withStandby, type Standby} from './helpers/standby.js'
import {fixture} from './tenants-fixtures.js'

let db: TestDb
let standby: Standby
let replica: string

withStandby(test, async (d, s) => {
  db = d
  standby = s
  replica = s.url(d.name)
  await fixture(d.pg)
})

/** Calls of the tenant-usage report's statements (its query, the COPY around it) in this file's database, from a server's own pg_stat_statements. */
const TENANT_USAGE =
  "SELECT coalesce(sum(s.calls), 0)::int AS calls FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1 AND s.query LIKE '%WITH orgs AS (%' AND s.query LIKE '%active_users%' AND s.query NOT LIKE '%pg_stat_statements%'"
const callsOnStandby = async () => (await standby.query(TENANT_USAGE, [db.name], db.name)).rows[0].calls as number
const callsOnPrimary = async () => (await db.pg.query(TENANT_USAGE, [db.name])).rows[0].calls as number
const report = (...args: string[]) =>
  runCli(['reports', 'run', 'tenant-usage', '--format', 'json', '--db-url', db.url, ...args])

test.serial(
  "reports run --replica runs on the replica: its pg_stat_statements counts the report, the primary's does not",
  async (t) => {
    const [primaryBefore, standbyBefore] = [await callsOnPrimary(), await callsOnStandby()]
    const r = await report('--replica', replica)
    t.is(r.code, 0, r.stderr)
    t.is(r.stderr, '')
    t.deepEqual(
      JSON.parse(r.stdout)
        .map((o: {organization_slug: string}) => o.organization_slug)
        .sort(),
      ['north-high', 'south-uni'],
    )
    t.true((await callsOnStandby()) > standbyBefore)
    t.is(await callsOnPrimary(), primaryBefore)
  },
)

test.serial('FLUXADMIN_REPLICA_URL and a libpq service name pick the replica too', async (t) => {
  const viaEnv = await runCli(['orgs', 'list', '--format', 'json', '--db-url', db.url, '--debug'], {
    env: {FLUXADMIN_REPLICA_URL: replica},
  })
  t.is(viaEnv.code, 0, viaEnv.stderr)
  t.regex(viaEnv.stderr, new RegExp(`connecting to 127\\.0\\.0\\.1:${standby.port}/${db.name}`))
  t.notRegex(viaEnv.stderr, /running on the primary/)

  const url = new URL(replica)
  const file = join(process.env.FLUXADMIN_TEST_DIR!, `pg_service-${db.name}.conf`)
  writeFileSync(
    file,
    `[fluxstudio-replica]\nhost=127.0.0.1\nport=${url.port}\ndbname=${db.name}\nuser=postgres\npassword=${decodeURIComponent(url.password)}\n`,
  )
  const before = await callsOnStandby()
  const viaService = await runCli(
    ['reports', 'run', 'tenant-usage', '--format', 'json', '--db-url', db.url, '--replica', 'fluxstudio-replica'],
    {env: {PGSERVICEFILE: file}},
  )
  t.is(viaService.code, 0, viaService.stderr)
  t.is(viaService.stderr, '')
  t.true((await callsOnStandby()) > before)
})

test.serial(
  'a replica that cannot be reached: the primary with a note, or exit 3 under --require-replica',
  async (t) => {
    const closed = new URL(replica)
    closed.port = String(await freePort())
    const before = await callsOnPrimary()
    const fallback = await report('--replica', closed.toString())
    t.is(fallback.code, 0, fallback.stderr)
    t.regex(
      fallback.stderr,
      new RegExp(
        `^fluxadmin: replica 127\\.0\\.0\\.1:${closed.port}/${db.name} cannot be reached \\(.*connection refused\\); running on the primary\\n$`,
      ),
    )
    t.true((await callsOnPrimary()) > before)

    const strict = await report('--replica', closed.toString(), '--require-replica')
    t.is(strict.code, 3)
    t.regex(strict.stderr, /^Error: replica 127\.0\.0\.1:\d+\/\S+ cannot be reached: cannot connect to PostgreSQL/)
    t.is(strict.stdout, '')
  },
)

test.serial('a replica held behind --max-lag (replay paused, the primary writes) is not used', async (t) => {
  // A commit it has replayed, so that its lag is a time (pg_last_xact_replay_timestamp), not unknown.
  await db.pg.query("UPDATE organizations SET name = 'South Uni' WHERE slug = 'south-uni'")
  await standby.caughtUp()
  await standby.pauseReplay()
  t.teardown(() => standby.resumeReplay())
  await db.pg.query("UPDATE organizations SET name = 'North High (renamed)' WHERE slug = 'north-high'")
  await until('the replica to fall 2s behind', async () => {
    const {
      rows: [lag],
    } = await runLag()
    return lag.value !== null && Number(lag.value) > 2
  })
  const [primaryBefore, standbyBefore] = [await callsOnPrimary(), await callsOnStandby()]
  const fallback = await report('--replica', replica, '--max-lag', '2s')
  t.is(fallback.code, 0, fallback.stderr)
  t.regex(
    fallback.stderr,
    /^fluxadmin: replica 127\.0\.0\.1:\d+\/\S+ is [\d.]+s behind, more than --max-lag 2s; running on the primary\n$/,
  )
  t.true(
    JSON.parse(fallback.stdout).some(
      (o: {organization_name: string}) => o.organization_name === 'North High (renamed)',
    ),
    "the rows are the primary's",
  )
  t.true((await callsOnPrimary()) > primaryBefore)
  t.is(await callsOnStandby(), standbyBefore)

  const strict = await report('--replica', replica, '--max-lag', '2s', '--require-replica')
  t.is(strict.code, 6)
  t.regex(strict.stderr, /^Error: replica 127\.0\.0\.1:\d+\/\S+ is [\d.]+s behind, more than --max-lag 2s\n/)

  const generous = await report('--replica', replica, '--max-lag', '1h')
  t.is(generous.code, 0, generous.stderr)
  t.is(generous.stderr, '')
  t.false(
    JSON.parse(generous.stdout).some(
      (o: {organization_name: string}) => o.organization_name === 'North High (renamed)',
    ),
    "the replica's older rows",
  )
})

test.serial('a caught-up replica has no lag: 0, not the age of its last replayed commit', async (t) => {
  await standby.resumeReplay()
  await standby.caughtUp()
  // Other test files write on the primary meanwhile: retry until the replica has replayed all it received.
  let last = ''
  await until(
    'the replica to pass --max-lag 1ms',
    async () => {
      const r = await report('--replica', replica, '--max-lag', '1ms', '--require-replica')
      last = r.stderr
      return r.code === 0
    },
    30_000,
  ).catch(() => {})
  t.is(last, '')
})

function runLag() {
  return standby.query<{value: string | null}>(query('replica/replay-lag').text, [], db.name)
}
