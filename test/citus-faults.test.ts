import {mkdtempSync} from 'node:fs'
import {join} from 'node:path'
import test from 'ava'
import {startCluster, stopCluster} from '../src/cluster/control.js'
import {runCli} from './helpers/cli.js'
import {dedicatedCitus, freshCitusDb, withCitus} from './helpers/citus.js'
import {loadFixture} from './reports-fixture.js'

withCitus(test, () => {
  test.serial('a worker stopped: db distribute names it (host:port), exits 3 and changes nothing', async (t) => {
    t.timeout(300_000)
    const nodes = await dedicatedCitus(t, 'citus-faults')
    // Migrated on the coordinator while it has no data and no workers yet, as an existing single-node database would be.
    const db = await freshCitusDb(t, {nodes, migrated: false, addWorkers: false})
    t.is((await runCli(['db', 'migrate', '--db-url', db.url])).code, 0)
    await loadFixture(db.pg)
    for (const w of nodes.workers) await db.pg.query('SELECT citus_add_node($1, $2)', ['127.0.0.1', w.port])
    const [, down] = nodes.workers
    await stopCluster(down, 'immediate')
    const r = await runCli(['db', 'distribute', '--shard-count', '2', '--db-url', db.url])
    t.is(r.code, 3, r.stderr)
    t.regex(
      r.stderr,
      new RegExp(
        `^Error: a Citus node cannot be reached: 127\\.0\\.0\\.1:${down.port} \\(from the coordinator at 127\\.0\\.0\\.1:${nodes.coordinator.port}/${db.name}\\); the statement did not complete and its transaction rolled back\\nHint: start the PostgreSQL at 127\\.0\\.0\\.1:${down.port}`,
      ),
    )
    t.is(r.stderr.trim().split('\n').length, 2)
    t.is((await db.pg.query('SELECT count(*)::int AS n FROM pg_dist_partition')).rows[0].n, 0)
    t.is(
      (await db.pg.query("SELECT count(*)::int AS n FROM security_events WHERE event_type = 'admin.db.distributed'"))
        .rows[0].n,
      0,
    )
  })

  test.serial(
    'sandbox start --citus without Citus: exit 2, one line and a hint to build Citus for PostgreSQL 15',
    async (t) => {
      const dir = mkdtempSync(join(process.env.FLUXADMIN_TEST_DIR!, 'sandbox-citus-'))
      const r = await runCli(['sandbox', 'start', '--citus'], {
        env: {FLUXADMIN_SANDBOX_DIR: join(dir, 'sb'), FLUXADMIN_CITUS_PG_BIN: join(dir, 'no-such-bin')},
      })
      t.is(r.code, 2, r.stderr)
      t.regex(
        r.stderr,
        /^Error: Citus is not installed here \(no citus extension in .*no-such-bin\)\nHint: build and install Citus for PostgreSQL 15 first .*the embedded PostgreSQL cannot carry Citus\n$/,
      )
    },
  )
})
