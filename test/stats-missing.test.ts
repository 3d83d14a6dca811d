import test from 'ava'
import pg from 'pg'
import {runCli} from './helpers/cli.js'
import {dedicatedCluster} from './helpers/cluster.js'
import {freshDb} from './helpers/db.js'

test('a database without the extension: exit 6 naming CREATE EXTENSION only', async (t) => {
  const db = await freshDb(t)
  await db.pg.query('DROP EXTENSION pg_stat_statements')
  const result = await runCli(['stats', 'top', '--db-url', db.url])
  t.is(result.code, 6)
  t.is(
    result.stderr,
    `Error: the extension pg_stat_statements is not created in database "${db.name}" (it is preloaded)\nHint: run in "${db.name}": CREATE EXTENSION pg_stat_statements;\n`,
  )
  const snapshot = await runCli(['stats', 'snapshot', '--db-url', db.url])
  t.is(snapshot.code, 6)
  t.regex(snapshot.stderr, /not created in database/)
})

test('a server without the preload: exit 6 with the postgresql.conf line (and CREATE EXTENSION while not created)', async (t) => {
  const cluster = await dedicatedCluster('stats-nopreload', {shared_preload_libraries: "''"})
  t.teardown(() => cluster.stop())
  const url = cluster.url()

  const neither = await runCli(['stats', 'top', '--db-url', url])
  t.is(neither.code, 6)
  t.regex(
    neither.stderr,
    /^Error: pg_stat_statements is not in shared_preload_libraries, and the extension is not created in database "postgres"\n/,
  )
  t.regex(
    neither.stderr,
    /Hint: add this line to postgresql.conf and restart PostgreSQL: shared_preload_libraries = 'pg_stat_statements' -- then run in "postgres": CREATE EXTENSION pg_stat_statements;\n$/,
  )

  const client = new pg.Client({connectionString: url})
  await client.connect()
  await client.query('CREATE EXTENSION pg_stat_statements')
  await client.end()
  const notLoaded = await runCli(['stats', 'top', '--db-url', url])
  t.is(notLoaded.code, 6)
  t.is(
    notLoaded.stderr,
    'Error: pg_stat_statements is not in shared_preload_libraries (the extension is created in "postgres" but collects nothing)\nHint: add this line to postgresql.conf and restart PostgreSQL: shared_preload_libraries = \'pg_stat_statements\'\n',
  )
})
