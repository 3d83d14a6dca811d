import test from 'ava'
import pg from 'pg'
import {mapDbError} from '../src/db/errors.js'
import {FluxError} from '../src/errors.js'
import {runCli} from './helpers/cli.js'
import {freshDb} from './helpers/db.js'

test('negative queryids are accepted however written, and plans keep their spaces (no U+2800)', async (t) => {
  const db = await freshDb(t)
  await db.pg.query("INSERT INTO organizations (name, slug, type) VALUES ('Acme', 'acme', 'independent')")
  // A statement whose queryid is negative: the number of columns changes the queryid.
  let found: {text: string; queryid: string} | undefined
  for (let n = 1; n <= 64 && !found; n++) {
    const text = `SELECT ${Array.from({length: n}, () => 'o.slug').join(', ')} FROM organizations o JOIN organization_members m ON m.organization_id = o.id WHERE o.slug = $1`
    await db.pg.query(text, ['acme'])
    const {rows} = await db.pg.query(
      'SELECT s.queryid::text FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1 AND s.query = $2',
      [db.name, text],
    )
    if (rows[0]?.queryid.startsWith('-')) found = {text, queryid: rows[0].queryid}
  }
  if (!found) return t.fail('no negative queryid among 64 statements')
  const {text, queryid} = found
  const url = ['--db-url', db.url]
  const forms = [
    ['stats', 'explain', '--', queryid, '--params', 'acme', ...url],
    [...url, 'stats', 'explain', '--', queryid, '--params', 'acme'],
    ['stats', 'explain', queryid, '--params', 'acme', ...url],
    ['stats', 'explain', `\u2212${queryid.slice(1)}`, '--params', 'acme', ...url],
    ['stats', 'explain', `'${queryid}`, '--params', 'acme', ...url],
  ]
  for (const args of forms) {
    await db.pg.query(text, ['acme'])
    const r = await runCli([...args, '--format', 'json'])
    t.is(r.code, 0, `${args.join(' ')}: ${r.stderr}`)
    if (r.code === 0) t.is(JSON.parse(r.stdout)[0].text, text)
  }
  const tooBig = await runCli(['stats', 'explain', '--', '-9223372036854775809', ...url])
  t.is(tooBig.code, 2)
  t.regex(tooBig.stderr, /^Error: invalid queryid "-9223372036854775809"\nHint: a queryid is a 64-bit integer/)

  await db.pg.query(text, ['acme'])
  const table = await runCli([
    'stats',
    'explain',
    '--',
    queryid,
    '--params',
    'acme',
    '--format',
    'table',
    '--wide',
    ...url,
  ])
  t.is(table.code, 0, table.stderr)
  t.false(table.stdout.includes('\u2800'), 'no braille blanks')
  // The section column is 7 wide, then 2 spaces; EXPLAIN indents the child node by 2 more, and puts 2 before its cost.
  t.regex(table.stdout, /\nplan {7}-> {2}\S.* {2}\(cost=/, 'a child node keeps its indentation and its spaces')
})

test('too many connections: the hint says what the role can do, and names the reserved slots', async (t) => {
  const db = await freshDb(t)
  const role = `fa_limited_${db.name}`
  await db.pg.query(`CREATE ROLE ${role} LOGIN PASSWORD 'pw' CONNECTION LIMIT 1`)
  t.teardown(async () => {
    await db.pg.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1`, [role])
    await db.pg.query(`DROP ROLE IF EXISTS ${role}`)
  })
  const url = new URL(db.url)
  url.username = role
  url.password = 'pw'
  const first = new pg.Client({connectionString: url.toString()})
  await first.connect()
  t.teardown(() => first.end().catch(() => {}))
  const r = await runCli(['activity', '--db-url', url.toString()])
  t.is(r.code, 3)
  t.regex(
    r.stderr,
    new RegExp(
      `^Error: too many connections at .*: too many connections for role "${role}"\\nHint: role "${role}" reached its own CONNECTION LIMIT; connect as another role to see them with \`fluxadmin activity\` \\(other roles' queries need pg_read_all_stats\\) and end idle ones with \`fluxadmin backend terminate\` \\(other roles' sessions need pg_signal_backend`,
    ),
  )

  // What the server says when ordinary slots are used up (PostgreSQL 15, then 16+), and when every slot is.
  const hint = (message: string) =>
    (mapDbError(Object.assign(new Error(message), {code: '53300'}), {user: 'app'}) as FluxError).hint ?? ''
  t.regex(
    hint('remaining connection slots are reserved for non-replication superuser connections'),
    /reserved for superusers \(superuser_reserved_connections; on PostgreSQL 16\+ also reserved_connections .*\), and role "app" is not one; connect as a superuser to see them/,
  )
  t.regex(
    hint('remaining connection slots are reserved for roles with the SUPERUSER attribute'),
    /reserved for superusers/,
  )
  t.regex(
    hint('remaining connection slots are reserved for roles with privileges of the "pg_use_reserved_connections" role'),
    /reserved_connections for pg_use_reserved_connections members, superuser_reserved_connections for superusers\), and role "app" may use neither/,
  )
  t.regex(
    hint('sorry, too many clients already'),
    /^every slot is taken, those reserved for superusers \(superuser_reserved_connections\) too: even a superuser cannot connect/,
  )
  t.regex(hint('too many connections for database "flux"'), /database flux reached its CONNECTION LIMIT/)
})
