import test from 'ava'
import pg from 'pg'
import {cliJson, runCli} from './helpers/cli.js'
import {distributedFixture, withCitus, type CitusDb} from './helpers/citus.js'
import {freshDb} from './helpers/db.js'
import {until} from './helpers/wait.js'
import {fixture} from './tenants-fixtures.js'

interface Row {
  pid: number
  node?: string
  local_pid?: number
  blocked_by: number[]
  query: string | null
  state: string | null
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({connectionString: url})
  await client.connect()
  client.on('error', () => {})
  return client
}

withCitus(test, () => {
  const fixtureOf = distributedFixture(test, async (client) => (await fixture(client)).org['north-high'])

  const sessions = async (db: CitusDb) => {
    const r = await cliJson(db, 'activity')
    if (r.code !== 0) throw new Error(r.stderr)
    return JSON.parse(r.stdout) as Row[]
  }

  test.serial(
    'activity, locks and backend on a coordinator: every node, global pids, distributed lock waits',
    async (t) => {
      const {db, data: org} = fixtureOf()
      // A session on a worker itself: the coordinator shows it, on its node, by global pid.
      const [worker] = db.nodes.workers
      const onWorker = await connect(db.url.replace(`:${db.nodes.coordinator.port}/`, `:${worker.port}/`))
      t.teardown(() => onWorker.end().catch(() => {}))
      const workerPid = (await onWorker.query('SELECT pg_backend_pid() AS pid')).rows[0].pid
      const sleeping = onWorker.query('SELECT pg_sleep(60) /* obs-sleeper */').catch((e: Error) => e)
      let rows: Row[] = []
      await until(async () => (rows = await sessions(db)).some((r) => r.query?.includes('obs-sleeper')), 'the sleeper')
      const sleeper = rows.find((r) => r.query?.includes('obs-sleeper'))!
      t.is(sleeper.node, `127.0.0.1:${worker.port}`)
      t.is(sleeper.local_pid, workerPid)
      t.true(sleeper.pid > 2 ** 31, `a global pid: ${sleeper.pid}`)

      // A lock wait between two coordinator sessions, on a shard on a worker.
      const holder = await connect(db.url)
      const waiter = await connect(db.url)
      t.teardown(() => Promise.all([holder.end(), waiter.end()]).catch(() => {}))
      await holder.query('BEGIN')
      await holder.query("UPDATE teams SET name = 'held' WHERE organization_id = $1 AND slug = 'brass'", [org])
      const holderGpid = Number((await holder.query('SELECT citus_backend_gpid() AS g')).rows[0].g)
      const waiting = waiter
        .query("UPDATE teams SET name = 'waited' WHERE organization_id = $1 AND slug = 'brass'", [org])
        .catch((e: Error) => e)
      await until(
        async () => (rows = await sessions(db)).some((r) => r.blocked_by.includes(holderGpid)),
        'the lock wait',
      )
      const blocked = rows.find((r) => r.blocked_by.includes(holderGpid))!
      t.deepEqual(blocked.blocked_by, [holderGpid])
      t.is(blocked.node, `127.0.0.1:${db.nodes.coordinator.port}`)

      const tree = await cliJson(db, 'locks', '--blocking')
      t.is(tree.code, 0, tree.stderr)
      const treeRows = JSON.parse(tree.stdout) as Array<Row & {depth: number; waiting_mode: string | null}>
      t.deepEqual(
        treeRows.map((r) => [r.pid, r.depth]),
        [
          [holderGpid, 0],
          [blocked.pid, 1],
        ],
      )
      t.is(treeRows[1].waiting_mode, 'ShareLock')
      const locks = JSON.parse((await cliJson(db, 'locks')).stdout) as Array<Row & {granted: boolean}>
      const wait = locks.find((l) => !l.granted)!
      t.is(wait.pid, blocked.pid)
      t.deepEqual(wait.blocked_by, [holderGpid])
      t.true(
        db.nodes.workers.some((w) => wait.node === `127.0.0.1:${w.port}`),
        `the wait is on a worker: ${wait.node}`,
      )

      // backend terminate takes the global pid; audited with the node.
      const dry = await cliJson(db, 'backend', 'terminate', String(holderGpid), '--dry-run')
      t.is(dry.code, 0, dry.stderr)
      t.is(JSON.parse(dry.stdout)[0].action, 'would terminate')
      const done = await cliJson(db, 'backend', 'terminate', String(holderGpid), '--yes')
      t.is(done.code, 0, done.stderr)
      const [result] = JSON.parse(done.stdout)
      t.is(result.action, 'terminated')
      t.is(result.node, `127.0.0.1:${db.nodes.coordinator.port}`)
      t.is(result.blocking, 1)
      t.false((await waiting) instanceof Error, 'the waiter went on once the holder was gone')
      const {
        rows: [audit],
      } = await db.pg.query(
        "SELECT metadata FROM security_events WHERE event_type = 'admin.backend.terminated' ORDER BY created_at DESC LIMIT 1",
      )
      t.is(Number(audit.metadata.pid), holderGpid)
      t.is(audit.metadata.node, `127.0.0.1:${db.nodes.coordinator.port}`)

      // backend cancel reaches the worker's session through its global pid.
      const cancel = await cliJson(db, 'backend', 'cancel', String(sleeper.pid), '--yes')
      t.is(cancel.code, 0, cancel.stderr)
      t.regex(String(await sleeping), /canceling statement due to user request/)
    },
  )

  test.serial('a global pid on plain PostgreSQL: exit 2 saying it is no Citus coordinator', async (t) => {
    const plain = await freshDb(t)
    const r = await runCli(['backend', 'cancel', '10000012345', '--db-url', plain.url])
    t.is(r.code, 2, r.stderr)
    t.regex(
      r.stderr,
      /^Error: invalid pid "10000012345": larger than any process id, and this server is not a Citus coordinator/,
    )
  })
})
