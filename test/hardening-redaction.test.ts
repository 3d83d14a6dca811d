// Passwords in statement text (CREATE/ALTER ROLE ... PASSWORD '...') are redacted wherever fluxadmin shows or
// stores a statement: stats, snapshots, the dashboard, activity, locks, backend (issue 32: D3).
import {randomBytes} from 'node:crypto'
import test from 'ava'
import pg from 'pg'
import {redactStatement} from '../src/db/redact.js'
import {runCli} from './helpers/cli.js'
import {freshDb} from './helpers/db.js'

test('redactStatement: the literal after PASSWORD in every form of literal, and nothing else', (t) => {
  const cases: Array<[string, string]> = [
    ["alter role lim password 'se''cret'", "alter role lim password '***'"],
    [
      "CREATE ROLE x LOGIN PASSWORD E'a\\'b''c' VALID UNTIL 'infinity'",
      "CREATE ROLE x LOGIN PASSWORD '***' VALID UNTIL 'infinity'",
    ],
    ["create user y with encrypted password $$it's$$", "create user y with encrypted password '***'"],
    ['ALTER USER z PASSWORD $pw$ $$ x $pw$ CONNECTION LIMIT 3', "ALTER USER z PASSWORD '***' CONNECTION LIMIT 3"],
    ["ALTER ROLE q PASSWORD /* why */ U&'d\\0061t'", "ALTER ROLE q PASSWORD /* why */ '***'"],
    // Cut off by track_activity_query_size: the rest is the password.
    ["alter role cut password 'half-a-pass", "alter role cut password '***'"],
    // With standard_conforming_strings off, \' does not end it: neither end shows any of it.
    ["ALTER ROLE a PASSWORD 'ab\\'cd' LOGIN", "ALTER ROLE a PASSWORD '***' LOGIN"],
    [
      "CREATE USER MAPPING FOR u SERVER s OPTIONS (user 'u', password 'pw3')",
      "CREATE USER MAPPING FOR u SERVER s OPTIONS (user 'u', password '***')",
    ],
    ["SELECT * FROM t WHERE password = 'pw4'", 'SELECT * FROM t WHERE password = ***'],
    ["SELECT dblink_connect('host=h password=pw5 dbname=d')", "SELECT dblink_connect('host=h password=*** dbname=d')"],
    // "password" inside a literal or as part of a name is no keyword.
    [
      "SELECT 'forgot password' AS a, password_hash FROM users WHERE id = $1",
      "SELECT 'forgot password' AS a, password_hash FROM users WHERE id = $1",
    ],
    ['ALTER ROLE r PASSWORD NULL', 'ALTER ROLE r PASSWORD NULL'],
  ]
  for (const [text, expected] of cases) t.is(redactStatement(text), expected, text)
})

test('a password set with ALTER ROLE is never shown or stored by stats, snapshots, dashboard, activity, locks or backend', async (t) => {
  const db = await freshDb(t)
  const role = `fa_pw_${randomBytes(4).toString('hex')}`
  const secret = `pw-${randomBytes(6).toString('hex')}`
  await db.pg.query(`CREATE ROLE ${role}`)
  t.teardown(() => db.pg.query(`DROP ROLE IF EXISTS ${role}`).then(() => undefined))
  // Left idle in its transaction: pg_stat_activity keeps the statement's text, and its lock on the role is held.
  const session = new pg.Client({connectionString: db.url, application_name: 'fa-setter'})
  await session.connect()
  t.teardown(() => session.end().catch(() => {}))
  const {
    rows: [{pid}],
  } = await session.query('SELECT pg_backend_pid() AS pid')
  await session.query('BEGIN')
  await session.query(`ALTER ROLE ${role} PASSWORD '${secret}'`)

  const shown: Array<[string, string[]]> = [
    ['stats top', ['stats', 'top', '--query', role, '--format', 'json']],
    ['stats calls', ['stats', 'calls', '--query', role, '--format', 'json']],
    ['activity', ['activity', '--format', 'json']],
    ['locks', ['locks', '--format', 'json']],
    ['dashboard', ['dashboard', '--once', '--format', 'json']],
    ['backend terminate --dry-run', ['backend', 'terminate', String(pid), '--dry-run', '--format', 'json']],
  ]
  for (const [what, args] of shown) {
    const r = await runCli([...args, '--db-url', db.url])
    t.is(r.code, 0, `${what}: ${r.stderr}`)
    t.true(r.stdout.includes(role), `${what} shows the statement: ${r.stdout.slice(0, 300)}`)
    t.false(r.stdout.includes(secret) || r.stderr.includes(secret), what)
  }
  const [top] = JSON.parse(
    (await runCli(['stats', 'top', '--query', role, '--format', 'json', '--db-url', db.url])).stdout,
  )
  t.is(top.query, `ALTER ROLE ${role} PASSWORD '***'`)
  const explain = await runCli(['stats', 'explain', String(top.queryid), '--db-url', db.url, '--format', 'json'])
  // A utility statement has no plan (exit 2); its text is not shown either way.
  t.false(explain.stdout.includes(secret) || explain.stderr.includes(secret), explain.stdout + explain.stderr)

  const snap = await runCli(['stats', 'snapshot', '--db-url', db.url])
  t.is(snap.code, 0, snap.stderr)
  const {rows} = await db.pg.query('SELECT query FROM fluxadmin.stat_snapshot_statements WHERE query LIKE $1', [
    `%${role}%`,
  ])
  t.true(rows.length > 0)
  t.false(
    rows.some((r) => r.query.includes(secret)),
    'the snapshot stores the redacted text',
  )
  await session.query('ROLLBACK')
})
