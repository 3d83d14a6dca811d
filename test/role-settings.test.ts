import test from 'ava'
import pg from 'pg'
import {cliJson} from './helpers/cli.js'
import {freshDb, type TestDb} from './helpers/db.js'

const urlAs = (db: TestDb, user: string, password: string) => {
  const url = new URL(db.url)
  url.username = user
  url.password = password
  return url.toString()
}

test('ALTER ROLE app SET enable_indexscan = off: health settings shows it, activity --settings too, and stats explain --role app plans as the app does', async (t) => {
  const db = await freshDb(t)
  const app = `app_${db.name.slice(2, 10)}`
  const lim = `lim_${db.name.slice(2, 10)}`
  t.teardown(async () => {
    await db.pg
      .query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ANY ($1)', [[app, lim]])
      .catch(() => {})
    await db.pg
      .query(`DROP OWNED BY ${app}; DROP ROLE IF EXISTS ${app}; DROP OWNED BY ${lim}; DROP ROLE IF EXISTS ${lim}`)
      .catch(() => {})
  })
  await db.pg.query(
    `CREATE ROLE ${app} LOGIN PASSWORD 'app-pw'; CREATE ROLE ${lim} LOGIN PASSWORD 'lim-pw' IN ROLE pg_read_all_stats`,
  )
  await db.pg.query(
    `ALTER ROLE ${app} SET enable_indexscan = off; ALTER ROLE ${app} IN DATABASE ${db.name} SET enable_bitmapscan = off`,
  )
  await db.pg.query(`CREATE TABLE items AS SELECT g AS id, md5(g::text) AS label FROM generate_series(1, 20000) g;
    CREATE INDEX items_id ON items (id); ANALYZE items; GRANT SELECT ON items TO ${app}, ${lim}`)

  const overrides = await cliJson(db, 'health', 'settings', '--overrides')
  t.is(overrides.code, 0, overrides.stderr)
  const rows = (JSON.parse(overrides.stdout) as Array<Record<string, unknown>>).filter((r) => r.role === app)
  t.deepEqual(rows, [
    {role: app, database: null, setting: 'enable_indexscan', value: 'off', scope: 'role', sessions: 0},
    {role: app, database: db.name, setting: 'enable_bitmapscan', value: 'off', scope: 'role in database', sessions: 0},
  ])
  const plain = await cliJson(db, 'health', 'settings')
  t.is(plain.code, 0, plain.stderr)
  t.regex(
    plain.stderr,
    new RegExp(`overridden by role or database .*role ${app}: enable_indexscan=off.*health settings --overrides`),
  )

  const appClient = new pg.Client({connectionString: urlAs(db, app, 'app-pw'), application_name: 'fa-role-app'})
  await appClient.connect()
  t.teardown(() => appClient.end().catch(() => {}))
  const {
    rows: [{pid}],
  } = await appClient.query('SELECT pg_backend_pid() AS pid')
  const activity = await cliJson(db, 'activity', '--idle', '--settings', '--filter', 'application=fa-role-app')
  t.is(activity.code, 0, activity.stderr)
  t.deepEqual(
    JSON.parse(activity.stdout).map((r: {pid: number; role_settings: string[]}) => [r.pid, r.role_settings]),
    [[pid, ['enable_bitmapscan=off (role in database)', 'enable_indexscan=off (role)']]],
  )

  await db.pg.query('SELECT label FROM items WHERE id = $1', [42])
  const {
    rows: [{queryid}],
  } = await db.pg.query(
    "SELECT queryid::text FROM pg_stat_statements WHERE query = 'SELECT label FROM items WHERE id = $1' AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())",
  )
  const plan = (out: string) =>
    (JSON.parse(out) as Array<{section: string; text: string}>)
      .filter((l) => l.section === 'plan')
      .map((l) => l.text)
      .join('\n')
  // The statement with its parameter, explained as the connecting role or `--role`, on `url`.
  const explain = (url: string, ...role: string[]) =>
    cliJson({url}, 'stats', 'explain', queryid, '--params', '42', ...role)
  const asOwner = await explain(db.url)
  t.is(asOwner.code, 0, asOwner.stderr)
  t.regex(plan(asOwner.stdout), /Index Scan using items_id/)
  const asApp = await explain(db.url, '--role', app)
  t.is(asApp.code, 0, asApp.stderr)
  t.regex(plan(asApp.stdout), /^Seq Scan on items/)
  t.regex(
    asApp.stderr,
    new RegExp(
      `explained as role ${app} \\(SET ROLE\\), with its settings enable_bitmapscan=off \\(role in database\\), enable_indexscan=off \\(role\\) applied by set_config; the transaction was rolled back`,
    ),
  )

  const unknown = await explain(db.url, '--role', 'no_such_role')
  t.is(unknown.code, 4)
  t.regex(unknown.stderr, /^Error: no role "no_such_role"\nHint: /)
  const quoted = await explain(db.url, '--role', `${app}"; DROP TABLE items; --`)
  t.is(quoted.code, 4, 'a name with quotes is a name, looked up as one')
  const denied = await explain(urlAs(db, lim, 'lim-pw'), '--role', app)
  t.is(denied.code, 6, denied.stderr)
  t.regex(
    denied.stderr,
    new RegExp(`^Error: cannot explain as role "${app}": permission denied to set role "${app}"\\nHint: `),
  )
  t.is((await db.pg.query('SELECT count(*)::int AS n FROM items')).rows[0].n, 20000)
})
