import test from 'ava'
import pg from 'pg'
import {distribute} from '../src/citus/distribute.js'
import {resolveTarget} from '../src/db/resolve.js'
import {openSession} from '../src/db/session.js'
import {runCli} from './helpers/cli.js'
import {stopCluster} from '../src/cluster/control.js'
import {dedicatedCitus, freshCitusDb, withCitus, type CitusDb} from './helpers/citus.js'
import {freshDb} from './helpers/db.js'
import {ids, loadFixture} from './reports-fixture.js'

const ACME_CONVERSATION = '60000000-0000-4000-8000-000000000001'

/** One distributed FluxStudio for the file (4 shards): the reports fixture, and 2,000 more messages for acme. */
let shared: Promise<CitusDb> | undefined
const cleanups: Array<() => Promise<void>> = []
function distributedDb(): Promise<CitusDb> {
  shared ??= (async () => {
    const db = await freshCitusDb({after: {always: (fn) => cleanups.push(fn)}})
    await loadFixture(db.pg)
    await db.pg.query(
      `INSERT INTO messages (conversation_id, author_id, content) SELECT $1, $2, 'bulk ' || g FROM generate_series(1, 2000) g`,
      [ACME_CONVERSATION, ids.alice],
    )
    const session = await openSession(resolveTarget(db.url))
    try {
      await distribute(session, {shardCount: 4})
    } finally {
      await session.close()
    }
    return db
  })()
  return shared
}

const count = async (db: CitusDb, sql: string, params: unknown[] = []) =>
  Number((await db.pg.query(sql, params)).rows[0].n)

const placementOf = async (db: CitusDb, org: string) =>
  (
    await db.pg.query(
      `SELECT n.nodename || ':' || n.nodeport AS node, s.shardid::int AS shard_id, s.shardminvalue = s.shardmaxvalue AS isolated
       FROM pg_dist_shard s JOIN pg_dist_placement p USING (shardid) JOIN pg_dist_node n USING (groupid)
       WHERE s.shardid = get_shard_id_for_distribution_column('messages', $1::uuid)`,
      [org],
    )
  ).rows[0] as {node: string; shard_id: number; isolated: boolean}

const auditOf = async (db: CitusDb, type: string, org: string) =>
  (
    await db.pg.query("SELECT metadata FROM security_events WHERE event_type = $1 AND metadata->>'org_id' = $2", [
      type,
      org,
    ])
  ).rows

withCitus(test, (nodes) => {
  test.before(() => {
    distributedDb().catch(() => {})
  })
  test.after.always(() => Promise.all(cleanups.map((fn) => fn())))

  test.serial(
    'on plain PostgreSQL the Citus tenant commands exit 2 with one line naming what is missing',
    async (t) => {
      const db = await freshDb(t)
      for (const args of [
        ['cluster', 'status'],
        ['orgs', 'isolate', 'acme', '--yes'],
        ['orgs', 'move', 'acme', '--to-node', '127.0.0.1:5432', '--yes'],
      ]) {
        const r = await runCli([...args, '--db-url', db.url])
        t.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`)
        t.regex(
          r.stderr,
          new RegExp(`^Error: ${args.slice(0, 2).join(' ')}.* needs Citus: this database has no citus extension\\n`),
        )
      }
    },
  )

  test.serial(
    'cluster status names every node, the co-location groups and the balance; orgs show and list name the node',
    async (t) => {
      const db = await distributedDb()
      const r = await runCli(['cluster', 'status', '--format', 'json', '--db-url', db.url])
      t.is(r.code, 0, r.stderr)
      const status = JSON.parse(r.stdout)
      t.deepEqual(
        status.nodes.map((n: {node: string; role: string; reachable: boolean}) => [n.node, n.role, n.reachable]),
        [
          [`127.0.0.1:${nodes.coordinator.port}`, 'coordinator', true],
          ...nodes.workers.map((w) => [`127.0.0.1:${w.port}`, 'worker', true]),
        ],
      )
      t.true(status.nodes.every((n: {version: string}) => /^15\.\d+.*, Citus 13\./.test(n.version)))
      t.true(
        status.nodes
          .slice(1)
          .every((n: {shards: number; distributed_bytes: number}) => n.shards > 0 && n.distributed_bytes > 0),
      )
      const tenant = status.colocation_groups.find((g: {kind: string}) => g.kind === 'distributed')
      t.is(tenant.shard_count, 4)
      t.true(tenant.tables.includes('messages'))
      t.is(status.balance.workers, 2)
      t.true(status.balance.spread_pct >= 0)

      const placement = await placementOf(db, ids.acme)
      const show = await runCli(['orgs', 'show', 'acme', '--format', 'json', '--db-url', db.url])
      t.is(show.code, 0, show.stderr)
      const [org] = JSON.parse(show.stdout)
      t.like(org, {
        slug: 'acme',
        members: 3,
        node: placement.node,
        shard_id: placement.shard_id,
        isolated: false,
      })
      const list = await runCli(['orgs', 'list', '--by-node', '--format', 'csv', '--db-url', db.url])
      t.is(list.code, 0, list.stderr)
      t.regex(
        list.stdout,
        /^slug,name,type,tier,status,members,teams,projects,files,storage_bytes,node,shard_id,isolated,id,created_at\n/,
      )
      t.regex(
        list.stdout,
        new RegExp(`\\nacme,Acme Studio,.*,${placement.node.replace('.', '\\.')},${placement.shard_id},false,`),
      )
    },
  )

  test.serial(
    'orgs isolate: a dry run changes nothing, then its own shards, audited; a second run has nothing to do',
    async (t) => {
      const db = await distributedDb()
      const before = await placementOf(db, ids.beta)
      const dry = await runCli(['orgs', 'isolate', 'beta', '--dry-run', '--format', 'csv', '--db-url', db.url])
      t.is(dry.code, 0, dry.stderr)
      t.regex(
        dry.stdout,
        new RegExp(
          `^status,organization,node,shard_before,shard_after\\nplanned,beta,${before.node},${before.shard_id},\\n$`,
        ),
      )
      t.deepEqual(await placementOf(db, ids.beta), before)
      const refused = await runCli(['orgs', 'isolate', 'beta', '--db-url', db.url], {input: ''})
      t.is(refused.code, 2)
      t.regex(refused.stderr, /^Error: refusing to isolate beta on shards of its own without confirmation\n/)

      const r = await runCli([
        'orgs',
        'isolate',
        'beta',
        '--yes',
        '--transfer-mode',
        'block_writes',
        '--format',
        'json',
        '--db-url',
        db.url,
      ])
      t.is(r.code, 0, r.stderr)
      const after = await placementOf(db, ids.beta)
      t.true(after.isolated)
      t.is(after.node, before.node)
      t.like(JSON.parse(r.stdout)[0], {status: 'isolated', shard_before: before.shard_id, shard_after: after.shard_id})
      t.is(await count(db, 'SELECT count(*) AS n FROM messages WHERE organization_id = $1', [ids.beta]), 2)
      const audit = await auditOf(db, 'admin.org.isolated', ids.beta)
      t.is(audit.length, 1)
      t.like(audit[0].metadata, {node: before.node, shard_before: before.shard_id, shard_after: after.shard_id})

      const again = await runCli(['orgs', 'isolate', 'beta', '--yes', '--db-url', db.url])
      t.is(again.code, 0, again.stderr)
      t.regex(again.stderr, /beta is isolated already, nothing to do/)
    },
  )

  test.serial(
    'orgs move --to-node under a load of writes and reads: no error, every row there, writes blocked briefly, audit names both nodes',
    async (t) => {
      t.timeout(120_000)
      const db = await distributedDb()
      const source = await placementOf(db, ids.acme)
      const target = nodes.workers.map((w) => `127.0.0.1:${w.port}`).find((n) => n !== source.node)!
      const audits = () => count(db, "SELECT count(*) AS n FROM security_events WHERE event_type LIKE 'admin.org.%'")
      const auditsBefore = await audits()

      // Bad input first: nothing done.
      const unknown = await runCli(['orgs', 'move', 'acme', '--to-node', '127.0.0.1:1', '--yes', '--db-url', db.url])
      t.is(unknown.code, 2)
      t.regex(
        unknown.stderr,
        /^Error: --to-node 127\.0\.0\.1:1: no such active worker in this Citus cluster\nHint: workers: /,
      )
      const same = await runCli(['orgs', 'move', 'acme', '--to-node', source.node, '--yes', '--db-url', db.url])
      t.is(same.code, 2)
      t.regex(
        same.stderr,
        new RegExp(`^Error: orgs move: acme is on ${source.node.replace('.', '\\.')} already, nothing to move\\n`),
      )
      t.is(await audits(), auditsBefore)
      t.deepEqual(await placementOf(db, ids.acme), source)

      const messagesBefore = await count(db, 'SELECT count(*) AS n FROM messages WHERE organization_id = $1', [
        ids.acme,
      ])
      // 4 clients: two write acme's messages, two read them, until the move is over.
      let moving = true
      const written: string[] = []
      const errors: string[] = []
      let reads = 0
      let longestWrite = 0
      const client = async (write: boolean) => {
        const c = new pg.Client({connectionString: db.url})
        await c.connect()
        try {
          while (moving) {
            try {
              if (write) {
                const started = performance.now()
                const {rows} = await c.query(
                  "INSERT INTO messages (organization_id, conversation_id, author_id, content) VALUES ($1, $2, $3, 'during the move') RETURNING id",
                  [ids.acme, ACME_CONVERSATION, ids.bob],
                )
                written.push(rows[0].id)
                longestWrite = Math.max(longestWrite, performance.now() - started)
              } else {
                await c.query('SELECT count(*) FROM messages WHERE organization_id = $1 AND content LIKE $2', [
                  ids.acme,
                  'bulk 1%',
                ])
                reads++
              }
            } catch (error) {
              errors.push((error as Error).message)
            }
          }
        } finally {
          await c.end()
        }
      }
      const load = [client(true), client(true), client(false), client(false)]
      const r = await runCli(
        ['orgs', 'move', 'acme', '--to-node', target, '--yes', '--format', 'json', '--db-url', db.url],
        {
          timeoutMs: 110_000,
        },
      ).finally(() => {
        moving = false
      })
      await Promise.all(load)
      t.is(r.code, 0, r.stderr)
      t.deepEqual(errors, [])
      t.true(written.length > 0 && reads > 0, `${written.length} writes, ${reads} reads`)

      const after = await placementOf(db, ids.acme)
      t.is(after.node, target)
      t.true(after.isolated)
      const proof = JSON.parse(r.stdout) as Array<{
        table_name: string
        rows_before: number
        rows_after: number
        missing: number
        equal: boolean
      }>
      t.true(proof.every((p) => p.equal && p.missing === 0))
      const messages = proof.find((p) => p.table_name === 'messages')!
      // The load was writing already when the move recorded the rows of before.
      t.true(messages.rows_before >= messagesBefore && messages.rows_after >= messages.rows_before)
      t.is(
        await count(db, 'SELECT count(*) AS n FROM messages WHERE organization_id = $1', [ids.acme]),
        messagesBefore + written.length,
      )
      t.is(await count(db, 'SELECT count(*) AS n FROM messages WHERE id = ANY($1::uuid[])', [written]), written.length)
      const blocked = /writes were blocked for at most (\d+) ms/.exec(r.stderr)
      t.truthy(blocked, r.stderr)
      // The load's longest write is the figure that counts (docs/citus.md); a loaded 2-core machine stretches it.
      t.log(
        `longest write of the load ${Math.round(longestWrite)} ms, the probe's ${blocked![1]} ms, ${written.length} writes`,
      )
      t.true(longestWrite < 10_000, `longest write ${longestWrite} ms`)
      t.regex(r.stderr, /\(isolated first\)/)

      const moved = await auditOf(db, 'admin.org.moved', ids.acme)
      t.is(moved.length, 1)
      t.like(moved[0].metadata, {source: source.node, target, shard_id: after.shard_id, transfer_mode: 'force_logical'})
      t.is(typeof moved[0].metadata.writes_blocked_ms, 'number')
    },
  )

  test.serial('cluster status with a worker stopped: the node named, reachable false, exit 2 (CRITICAL)', async (t) => {
    t.timeout(120_000)
    const own = await dedicatedCitus(t, 'citus-tenants')
    const db = await freshCitusDb(t, {nodes: own, migrated: false})
    const [, down] = own.workers
    await stopCluster(down, 'immediate')
    const r = await runCli(['cluster', 'status', '--format', 'json', '--db-url', db.url])
    t.is(r.code, 2, r.stderr)
    t.regex(r.stderr, new RegExp(`fluxadmin: warning: unreachable: 127\\.0\\.0\\.1:${down.port}\\n`))
    const status = JSON.parse(r.stdout)
    t.deepEqual(
      status.nodes.map((n: {node: string; reachable: boolean}) => [n.node, n.reachable]),
      [
        [`127.0.0.1:${own.coordinator.port}`, true],
        [`127.0.0.1:${own.workers[0].port}`, true],
        [`127.0.0.1:${down.port}`, false],
      ],
    )
    t.is(status.unreachable.length, 1)
  })
})
