import test from 'ava'
import pg from 'pg'
import {stopCluster} from '../src/cluster/control.js'
import {cliJson, runCli} from './helpers/cli.js'
import {dedicatedCitus, distributedFixture, freshCitusDb, withCitus} from './helpers/citus.js'
import {freshDb} from './helpers/db.js'
import {until} from './helpers/wait.js'
import {fixture} from './tenants-fixtures.js'

interface Check {
  check: string
  state: string
  value: number | null
  detail: string
}

const NODE = /(coordinator|worker) 127\.0\.0\.1:\d+/

/** Runs statements on a connection of their own, closed after: the worker backends it used exit and flush their statistics. */
async function onItsOwn(url: string, statements: Array<[string, unknown[]?]>): Promise<void> {
  const client = new pg.Client({connectionString: url})
  await client.connect()
  try {
    for (const [sql, values] of statements) await client.query(sql, values)
  } finally {
    await client.end()
  }
}

withCitus(test, () => {
  const fixtureOf = distributedFixture(test, async (client) => (await fixture(client)).org['north-high'])

  test.serial('health check on a coordinator: citus_nodes names every node, per-node checks name theirs', async (t) => {
    const {db, data: org} = fixtureOf()
    const r = await cliJson(db, 'health', 'check', '--only', 'citus,xid_wraparound,prepared_transactions,dead_tuples')
    t.is(r.code, 0, r.stdout + r.stderr)
    const checks = JSON.parse(r.stdout) as Check[]
    const nodes = checks.find((c) => c.check === 'citus_nodes')!
    t.is(nodes.state, 'OK')
    t.is(nodes.value, 0)
    const ports = [db.nodes.coordinator, ...db.nodes.workers].map((n) => n.port)
    t.is(
      nodes.detail,
      `3 node(s): coordinator 127.0.0.1:${ports[0]}, worker 127.0.0.1:${ports[1]}, worker 127.0.0.1:${ports[2]}`,
    )
    for (const name of ['xid_wraparound', 'prepared_transactions', 'dead_tuples']) {
      const c = checks.find((x) => x.check === name)!
      t.is(c.state, 'OK', c.detail)
      t.regex(c.detail, new RegExp(`^${NODE.source}: .* \\(2 other node\\(s\\) OK\\)$`))
    }

    // A prepared transaction left on a worker is found there, and the worker is named.
    const [worker] = db.nodes.workers
    const workerUrl = db.url.replace(`:${db.nodes.coordinator.port}/`, `:${worker.port}/`)
    await onItsOwn(workerUrl, [['BEGIN'], ['SELECT 1'], ["PREPARE TRANSACTION 'obs_test_left_behind'"]])
    t.teardown(() => onItsOwn(workerUrl, [["ROLLBACK PREPARED 'obs_test_left_behind'"]]))
    const prepared = await cliJson(
      db,
      'health',
      'check',
      '--only',
      'prepared_transactions',
      '--warn',
      'prepared_transactions=0s',
    )
    t.is(prepared.code, 1, prepared.stdout)
    const [p] = JSON.parse(prepared.stdout) as Check[]
    t.is(p.state, 'WARNING')
    t.regex(
      p.detail,
      new RegExp(
        `^worker 127\\.0\\.0\\.1:${worker.port}: 1 prepared transaction\\(s\\); oldest: 'obs_test_left_behind'`,
      ),
    )
    t.regex(p.detail, /\(2 other node\(s\) OK\)$/)
  })

  test.serial('vacuum status rolls the shards on the workers up per logical table', async (t) => {
    const {db, data: org} = fixtureOf()
    await onItsOwn(db.url, [
      [
        "INSERT INTO teams (organization_id, name, slug) SELECT $1, 'Team ' || g, 'team-' || g FROM generate_series(1, 200) g",
        [org],
      ],
      ["DELETE FROM teams WHERE slug LIKE 'team-%' AND right(slug, 1) IN ('1', '2')"],
    ])
    const status = async () => {
      const r = await cliJson(db, 'vacuum', 'status', '--table', 'public.teams')
      t.is(r.code, 0, r.stderr)
      return JSON.parse(r.stdout) as Array<Record<string, unknown>>
    }
    // The worker backends report their counts as they exit, just after their coordinator session ends.
    let before: Record<string, unknown> = {}
    await until(async () => {
      ;[before] = await status()
      return before.live_tuples === 161
    }, "the shards' statistics")
    t.is(before.table_name, 'public.teams')
    t.is(before.shards, 4)
    t.is(before.dead_tuples, 40)
    t.is(before.last_vacuum, null)

    await db.pg.query('VACUUM teams')
    const [after] = await status()
    t.is(after.dead_tuples, 0)
    t.is(after.vacuum_count, 4)
    t.truthy(after.last_vacuum)

    // A reference table has a placement on every node, the coordinator too; the shards are not listed on their own.
    const all = JSON.parse((await cliJson(db, 'vacuum', 'status')).stdout) as Array<Record<string, unknown>>
    t.is(all.find((r) => r.table_name === 'public.users')?.shards, 3)
    t.false(all.some((r) => /_\d+$/.test(String(r.table_name))))
  })

  test.serial(
    'on plain PostgreSQL, citus_nodes has nothing to check and vacuum status has no shards column',
    async (t) => {
      const plain = await freshDb(t)
      const r = await cliJson(plain, 'health', 'check', '--only', 'citus_nodes')
      t.is(r.code, 0, r.stdout)
      t.deepEqual(
        (JSON.parse(r.stdout) as Check[]).map((c) => [c.state, c.detail]),
        [['OK', 'not a Citus database (no citus extension): nothing to check']],
      )
      const v = await cliJson(plain, 'vacuum', 'status', '--table', 'teams')
      t.false('shards' in JSON.parse(v.stdout)[0])
    },
  )

  test.serial(
    'a worker down: citus_nodes is CRITICAL naming it (exit 2); vacuum status and activity name it, exit 3',
    async (t) => {
      t.timeout(180_000)
      const nodes = await dedicatedCitus(t, 'citus-health')
      const down = await freshCitusDb(t, {nodes, migrated: false})
      const stopped = nodes.workers[1]
      await stopCluster(stopped, 'immediate')
      const where = `127.0.0.1:${stopped.port}`

      const r = await runCli([
        'health',
        'check',
        '--only',
        'citus,xid_wraparound',
        '--format',
        'json',
        '--db-url',
        down.url,
      ])
      t.is(r.code, 2, r.stdout + r.stderr)
      const checks = JSON.parse(r.stdout) as Check[]
      const nodesCheck = checks.find((c) => c.check === 'citus_nodes')!
      t.is(nodesCheck.state, 'CRITICAL')
      t.is(nodesCheck.value, 1)
      t.regex(nodesCheck.detail, new RegExp(`; DOWN: worker ${where.replace(/\./g, '\\.')} cannot be reached \\(from `))
      const xid = checks.find((c) => c.check === 'xid_wraparound')!
      t.is(xid.state, 'UNKNOWN')
      t.regex(xid.detail, new RegExp(`^worker ${where.replace(/\./g, '\\.')}: cannot be reached: `))

      const nagios = await runCli([
        'health',
        'check',
        '--only',
        'citus_nodes',
        '--format',
        'nagios',
        '--db-url',
        down.url,
      ])
      t.is(nagios.code, 2)
      t.regex(nagios.stdout, /^POSTGRES CRITICAL - /)

      for (const args of [['vacuum', 'status'], ['activity'], ['locks', '--blocking']]) {
        const c = await runCli([...args, '--db-url', down.url])
        t.is(c.code, 3, `${args.join(' ')}: ${c.stderr}`)
        t.regex(c.stderr, new RegExp(`^Error: a Citus node cannot be reached: ${where.replace(/\./g, '\\.')} `))
        t.is(c.stderr.trim().split('\n').length, 2)
        t.is(c.stdout, '')
      }
    },
  )
})
