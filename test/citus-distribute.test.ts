import {spawn} from 'node:child_process'
import {fileURLToPath} from 'node:url'
import test from 'ava'
import {createClusterDatabase, dropClusterDatabase} from '../src/cluster/citus.js'
import {resolveTarget} from '../src/db/resolve.js'
import {openSession} from '../src/db/session.js'
import type {RawRows} from '../src/output/format.js'
import {runReport} from '../src/reports/run.js'
import {runCli} from './helpers/cli.js'
import {freshCitusDb, withCitus} from './helpers/citus.js'
import {freshDb} from './helpers/db.js'
import {ids, loadFixture, REPORTS} from './reports-fixture.js'

/** Every report's CSV (as `reports run --format csv` writes it), for all organizations and for one. */
async function reportCsvs(url: string): Promise<Record<string, string>> {
  const session = await openSession(resolveTarget(url))
  const out: Record<string, string> = {}
  try {
    for (const [name, window] of REPORTS) {
      for (const org of [undefined, 'beta']) {
        out[`${name} ${org ?? ''}`] = await runReport(session, name, {...window, org, format: 'csv'}, async (rows) => {
          let text = ''
          for await (const chunk of (rows as RawRows).raw) text += chunk.toString()
          return text
        })
      }
    }
  } finally {
    await session.close()
  }
  return out
}

const distributedTables = async (db: {pg: {query: (q: string) => Promise<{rows: Array<{n: number}>}>}}) =>
  Number((await db.pg.query('SELECT count(*)::int AS n FROM pg_dist_partition')).rows[0].n)

withCitus(test, (nodes) => {
  test.serial('on plain PostgreSQL, db distribute exits 2 with one line naming what is missing', async (t) => {
    const db = await freshDb(t)
    const r = await runCli(['db', 'distribute', '--db-url', db.url])
    t.is(r.code, 2, r.stderr)
    t.regex(r.stderr, /^Error: db distribute needs Citus: this database has no citus extension\n/)
    t.regex(r.stderr, /CREATE EXTENSION citus/)
  })

  test.serial('on a coordinator without workers, exit 2 naming the missing workers', async (t) => {
    const alone = {coordinator: nodes.coordinator, workers: []}
    const name = `c_alone_${process.pid}`
    const url = await createClusterDatabase(alone, name, {coordinator: process.env.FLUXADMIN_TEST_TEMPLATE})
    t.teardown(() => dropClusterDatabase(alone, name))
    const r = await runCli(['db', 'distribute', '--db-url', url])
    t.is(r.code, 2, r.stderr)
    t.regex(r.stderr, /^Error: db distribute needs Citus workers: this coordinator has none\n/)
  })

  test.serial('a project without an organization is listed and refused: exit 2, nothing changed', async (t) => {
    const db = await freshCitusDb(t)
    await loadFixture(db.pg)
    const {
      rows: [p],
    } = await db.pg
      .query(`INSERT INTO projects (name, slug, manager_id, project_type, service_category, service_tier, ensemble_type)
      VALUES ('Orphan', 'orphan', '${ids.alice}', 'print', 'design', 'standard', 'band') RETURNING id`)
    const r = await runCli(['db', 'distribute', '--db-url', db.url])
    t.is(r.code, 2, r.stderr)
    t.regex(
      r.stderr,
      new RegExp(
        `^Error: db distribute: 1 row without an organization \\(organization_id IS NULL\\), nothing changed: projects ${p.id}: project orphan \\(Orphan\\)\\n`,
      ),
    )
    t.is(await distributedTables(db), 0)
    t.is(
      (
        await db.pg.query(
          "SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'messages' AND column_name = 'organization_id'",
        )
      ).rows[0].n,
      0,
    )
    t.is(
      (await db.pg.query("SELECT count(*)::int AS n FROM security_events WHERE event_type = 'admin.db.distributed'"))
        .rows[0].n,
      0,
    )
  })

  test.serial(
    'distribute: a plan, then proof of equal counts, the same report bytes, db status clean; a second run exits 0',
    async (t) => {
      const db = await freshCitusDb(t)
      await loadFixture(db.pg)
      const before = await reportCsvs(db.url)

      const plan = await runCli([
        'db',
        'distribute',
        '--dry-run',
        '--shard-count',
        '4',
        '--format',
        'json',
        '--db-url',
        db.url,
      ])
      t.is(plan.code, 0, plan.stderr)
      const steps = JSON.parse(plan.stdout) as Array<{
        phase: string
        table_name: string
        row_count: number
        statement: string
      }>
      t.true(
        steps.some(
          (s) =>
            s.statement ===
              'UPDATE messages t SET organization_id = p.organization_id FROM conversations p WHERE p.id = t.conversation_id' &&
            s.row_count === 6,
        ),
      )
      t.true(
        steps.some(
          (s) =>
            s.statement ===
            "SELECT create_distributed_table('organization_members', 'organization_id', shard_count => 4, colocate_with => 'none')",
        ),
      )
      t.true(steps.some((s) => s.statement === "SELECT create_reference_table('users')" && s.row_count === 4))
      t.deepEqual([...new Set(steps.map((s) => s.phase))], ['reshape', 'distribute', 'constrain', 'clean up'])
      t.regex(
        plan.stderr,
        /dry run, nothing changed: \d+ statements in one transaction; afterwards layout: Citus [\d.-]+, distributed over 2 workers, 4 shards per tenant table/,
      )
      t.is(await distributedTables(db), 0)

      const r = await runCli(['db', 'distribute', '--shard-count', '4', '--format', 'json', '--db-url', db.url])
      t.is(r.code, 0, r.stderr)
      const result = JSON.parse(r.stdout)
      t.is(result.status, 'distributed')
      t.true(result.proof.equal)
      const messages = result.proof.tables.find((x: {table_name: string}) => x.table_name === 'messages')
      t.deepEqual(messages, {table_name: 'messages', rows_before: 6, rows_after: 6, organizations: 2, equal: true})
      t.deepEqual(
        result.proof.organizations
          .filter((o: {table_name: string}) => o.table_name === 'messages')
          .map((o: {organization_id: string; rows_before: number; rows_after: number}) => [
            o.organization_id,
            o.rows_before,
            o.rows_after,
          ]),
        [
          [ids.acme, 4, 4],
          [ids.beta, 2, 2],
        ],
      )
      t.regex(r.stderr, /each of 2 organizations' row counts per table are equal before and after/)
      t.is(await distributedTables(db), 14)

      t.deepEqual(await reportCsvs(db.url), before)

      const status = await runCli(['db', 'status', '--format', 'csv', '--db-url', db.url])
      t.is(status.code, 0, status.stdout + status.stderr)
      t.regex(
        status.stderr,
        /^fluxadmin: layout: Citus [\d.-]+, distributed over 2 workers, 4 shards per tenant table\nfluxadmin: \d+ applied, 0 pending, 0 edited, 0 drifted objects\n$/,
      )

      // Real drift is still named.
      await db.pg.query('DROP INDEX idx_messages_author')
      const drifted = await runCli(['db', 'status', '--format', 'csv', '--db-url', db.url])
      t.is(drifted.code, 2)
      t.regex(drifted.stdout, /\nindex,idx_messages_author,missing,/)
      await db.pg.query('CREATE INDEX idx_messages_author ON messages(author_id)')

      const again = await runCli(['db', 'distribute', '--db-url', db.url])
      t.is(again.code, 0, again.stderr)
      t.regex(again.stderr, /^fluxadmin: already distributed, nothing to do \(layout: Citus/)
      t.is(
        (await db.pg.query("SELECT count(*)::int AS n FROM security_events WHERE event_type = 'admin.db.distributed'"))
          .rows[0].n,
        1,
      )
    },
  )

  test.serial('kill -9 in the middle of db distribute leaves nothing changed, and a rerun finishes it', async (t) => {
    const db = await freshCitusDb(t)
    await loadFixture(db.pg)
    const bin = fileURLToPath(new URL('../bin/run.js', import.meta.url))
    const child = spawn(process.execPath, [bin, 'db', 'distribute', '--shard-count', '4', '--db-url', db.url], {
      stdio: 'ignore',
    })
    // Wait until it is moving tables to the workers, then kill it.
    const deadline = Date.now() + 30_000
    for (;;) {
      const {rows} = await db.pg.query(
        "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%create_distributed_table(''teams''%'",
      )
      if (rows.length > 0) break
      if (Date.now() > deadline) throw new Error('db distribute never reached create_distributed_table')
      await new Promise((r) => setTimeout(r, 10))
    }
    child.kill('SIGKILL')
    await new Promise((r) => child.once('close', r))
    t.is(await distributedTables(db), 0)
    const r = await runCli(['db', 'distribute', '--shard-count', '4', '--format', 'json', '--db-url', db.url])
    t.is(r.code, 0, r.stderr)
    const proof = JSON.parse(r.stdout).proof
    t.true(proof.equal)
    t.is(proof.tables.find((x: {table_name: string}) => x.table_name === 'messages').rows_after, 6)
  })

  test.serial('db migrate on an empty Citus coordinator creates the distributed layout directly', async (t) => {
    const db = await freshCitusDb(t, {migrated: false})
    const r = await runCli(['db', 'migrate', '--shard-count', '4', '--format', 'csv', '--db-url', db.url])
    t.is(r.code, 0, r.stderr)
    t.regex(
      r.stderr,
      /fluxadmin: the tables were empty, so they are distributed already \(layout: Citus [\d.-]+, distributed over 2 workers, 4 shards per tenant table\)/,
    )
    t.is(await distributedTables(db), 14)
    const status = await runCli(['db', 'status', '--db-url', db.url])
    t.is(status.code, 0, status.stderr)
  })
})
