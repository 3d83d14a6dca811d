// Wrong answers and refused inputs (issue 32: D11, D12 and the smaller items): each against a real server.
import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import test from 'ava'
import {parse} from 'csv-parse/sync'
import {runCli} from './helpers/cli.js'
import {freshDb} from './helpers/db.js'
import {cliFor, fileDb, fixture} from './tenants-fixtures.js'

const getDb = fileDb(test, async (d) => {
  await fixture(d.pg)
})
const cli = cliFor(getDb)
const dir = mkdtempSync(join(tmpdir(), 'hardening-values-'))
test.after.always(() => rmSync(dir, {recursive: true, force: true}))

test('D11: stats top --format csv prints negative queryids as numbers, not formula-guarded text', async (t) => {
  const db = getDb()
  // Statements of different shapes (1 to 40 columns): 40 queryids, about half of them negative.
  for (let i = 1; i <= 40; i++) await db.pg.query(`SELECT ${Array.from({length: i}, () => '1').join(', ')}`)
  const {rows} = await db.pg.query(
    "SELECT queryid::text AS id FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = current_database() AND query LIKE 'SELECT $1%'",
  )
  t.true(
    rows.some((r) => r.id.startsWith('-')),
    'some queryid is negative',
  )
  const top = await cli(['stats', 'top', '--db', db.name, '--query', 'select $1', '-n', '100', '--format', 'csv'])
  t.is(top.code, 0, top.stderr)
  const ids = (parse(top.stdout, {columns: true}) as Array<{queryid: string}>).map((r) => r.queryid)
  t.true(ids.length >= 40, `${ids.length} rows`)
  t.true(
    ids.every((id) => /^-?\d+$/.test(id)),
    ids.filter((id) => !/^-?\d+$/.test(id)).join(' '),
  )
  // Other statements of this database may contain "select $1" too: each negative one read above is shown as itself.
  const shown = new Set(ids)
  t.deepEqual(
    rows.map((r) => r.id as string).filter((id) => id.startsWith('-') && !shown.has(id)),
    [],
  )
  // Text cells that only look like a formula are still guarded.
  await db.pg.query("UPDATE organizations SET name = '-2+3' WHERE slug = 'south-uni'")
  t.teardown(() => db.pg.query("UPDATE organizations SET name = 'South Uni' WHERE slug = 'south-uni'"))
  t.regex((await cli(['orgs', 'list', '--format', 'csv'])).stdout, /,'-2\+3,/)
})

test('D12: search messages works on a LATIN1 database, with an ASCII fragment delimiter', async (t) => {
  const latin = await freshDb(t, {encoding: 'LATIN1'})
  const {
    rows: [ids],
  } = await latin.pg
    .query(`WITH u AS (INSERT INTO users (email, name, user_type) VALUES ('zoe@example.org', 'Zoé', 'client') RETURNING id),
    o AS (INSERT INTO organizations (name, slug, type) VALUES ('Café Noir', 'cafe', 'studio') RETURNING id),
    c AS (INSERT INTO conversations (organization_id, name) SELECT id, 'Général' FROM o RETURNING id)
    SELECT u.id AS user_id, c.id AS conversation_id FROM u, c`)
  const words = Array.from({length: 40}, (_, i) => `word${i}`).join(' ')
  await latin.pg.query('INSERT INTO messages (conversation_id, author_id, content) VALUES ($1, $2, $3)', [
    ids.conversation_id,
    ids.user_id,
    `the rehearsal in the café ${words} rehearsal again ${words} last rehearsal`,
  ])
  const r = await runCli(['search', 'messages', 'rehearsal', '--db-url', latin.url, '--format', 'json'])
  t.is(r.code, 0, r.stderr)
  const [hit] = JSON.parse(r.stdout)
  t.regex(hit.snippet, /café/)
  t.regex(hit.snippet, / \.\.\. /)
  const count = await runCli(['search', 'messages', 'rehearsal', '--db-url', latin.url, '--count', '--format', 'json'])
  t.is(count.code, 0, count.stderr)
})

test('users preferences nested 2,000 levels deep show in table and CSV view (no stack overflow)', async (t) => {
  const db = getDb()
  await db.pg.query("UPDATE users SET preferences = $1::jsonb WHERE email = 'cy@example.org'", [
    '{"a":'.repeat(2000) + '1' + '}'.repeat(2000),
  ])
  for (const format of ['csv', 'table']) {
    const r = await cli(['users', 'preferences', 'cy@example.org', '--format', format])
    t.is(r.code, 0, `${format}: ${r.stderr.slice(0, 200)}`)
    t.true(r.stdout.includes(Array.from({length: 2000}, () => 'a').join('.')), format)
  }
})

test('users create --password-stdin refuses over 72 bytes and invalid UTF-8 (exit 2, nothing written); 72 bytes pass', async (t) => {
  const db = getDb()
  const create = (email: string, input: string | Buffer) =>
    runCli(
      ['users', 'create', '--email', email, '--name', 'Pw', '--type', 'client', '--password-stdin', '--db-url', db.url],
      {input},
    )
  const long = await create('long@example.org', `${'é'.repeat(36)}x\n`)
  t.is(long.code, 2, long.stderr)
  t.regex(long.stderr, /^Error: the password from stdin is over 72 bytes, bcrypt's limit[^\n]*\nHint: [^\n]+\n$/)
  const huge = await create('huge@example.org', 'x'.repeat(10 << 20))
  t.is(huge.code, 2, huge.stderr)
  const invalid = await create(
    'latin@example.org',
    Buffer.concat([Buffer.from('password'), Buffer.from([0xe9, 0xff]), Buffer.from('\n')]),
  )
  t.is(invalid.code, 2, invalid.stderr)
  t.regex(invalid.stderr, /^Error: the password from stdin is not valid UTF-8\n/)
  const {rows} = await db.pg.query(
    "SELECT email FROM users WHERE email IN ('long@example.org', 'huge@example.org', 'latin@example.org')",
  )
  t.deepEqual(rows, [])
  const exact = await create('exact@example.org', `${'é'.repeat(36)}\r\n`)
  t.is(exact.code, 0, exact.stderr)
})

test('onboard names the line where an unclosed quote opens, at the end of the file and before later lines', async (t) => {
  for (const [name, body] of [
    ['last.csv', 'b@x.org,"B,client,member\n'],
    ['middle.csv', 'b@x.org,"B,client,member\nc@x.org,C,client,member\n'],
    ['no-newline.csv', 'b@x.org,"B,client,member'],
  ]) {
    const file = join(dir, name)
    writeFileSync(file, `email,name,user_type,role\na@x.org,A,client,member\n${body}`)
    const r = await cli(['onboard', file, '--org', 'north-high', '--yes'])
    t.is(r.code, 2, r.stderr)
    t.regex(r.stderr, new RegExp(`^Error: ${name} line 3: unterminated CSV quoted field\\n`), name)
  }
})

test('a UUID without dashes (any case) is a UUID wherever one is parsed', async (t) => {
  const db = getDb()
  const {
    rows: [ids],
  } = await db.pg.query(
    "SELECT (SELECT id FROM organizations WHERE slug = 'north-high') AS org, (SELECT id FROM users WHERE email = 'ada@example.org') AS ada, (SELECT id FROM refresh_tokens WHERE token_hash = 'h1') AS token",
  )
  const bare = (id: string) => id.replaceAll('-', '').toUpperCase()
  const org = await cli(['orgs', 'show', bare(ids.org), '--format', 'json'])
  t.is(org.code, 0, org.stderr)
  t.is(JSON.parse(org.stdout)[0].slug, 'north-high')
  const user = await cli(['users', 'show', bare(ids.ada), '--format', 'json'])
  t.is(user.code, 0, user.stderr)
  const members = await cli(['members', 'list', bare(ids.org), '--format', 'json'])
  t.is(members.code, 0, members.stderr)
  const revoke = await cli(['sessions', 'revoke', '--id', bare(ids.token), '--dry-run', '--yes', '--format', 'json'])
  t.is(revoke.code, 0, revoke.stderr)
  const search = await cli([
    'search',
    'messages',
    'hello',
    '--org',
    bare(ids.org),
    '--author',
    bare(ids.ada),
    '--count',
  ])
  t.is(search.code, 0, search.stderr)
})

test("users erase clears the person's email from the organizations' contact and billing addresses", async (t) => {
  const db = getDb()
  await db.pg.query(
    "UPDATE organizations SET contact_email = 'BOB@example.org', billing_email = 'bob@example.org' WHERE slug = 'south-uni'",
  )
  await db.pg.query(
    "UPDATE organizations SET contact_email = 'office@example.org', billing_email = 'bob@example.org' WHERE slug = 'north-high'",
  )
  const r = await cli(['users', 'erase', 'bob@example.org', '--yes', '--format', 'json'])
  t.is(r.code, 0, r.stderr)
  t.true(
    JSON.parse(r.stdout).some(
      (c: {action: string; kind: string; before: number}) =>
        c.action === 'redact' && c.kind === 'organizations' && c.before === 2,
    ),
    r.stdout,
  )
  const {rows} = await db.pg.query('SELECT slug, contact_email, billing_email FROM organizations ORDER BY slug')
  t.deepEqual(rows, [
    {slug: 'north-high', contact_email: 'office@example.org', billing_email: null},
    {slug: 'south-uni', contact_email: null, billing_email: null},
  ])
  const dump = execFileSync('pg_dump', ['--data-only', '--dbname', db.url], {encoding: 'utf8', maxBuffer: 64 << 20})
  t.false(/bob@example\.org/i.test(dump), 'the address is nowhere in the data')
})

test('on a SQL_ASCII database one name with a byte that is not UTF-8 no longer breaks orgs list, update, onboard or the dashboard', async (t) => {
  const raw = await freshDb(t, {encoding: 'SQL_ASCII'})
  // E'\xff' makes the byte itself: SQL_ASCII takes any byte.
  await raw.pg.query(
    "INSERT INTO organizations (name, slug, type) VALUES (E'Caf\\xe9 \\xff', 'bad', 'studio'), ('Good', 'good', 'studio')",
  )
  const run = (...args: string[]) => runCli([...args, '--db-url', raw.url], {env: {FLUXADMIN_ACTOR: 'ops-test'}})
  const note =
    /^fluxadmin: values with bytes that are not UTF-8 \(the database is SQL_ASCII\) are shown with those bytes as \\xNN: "Caf\\xe9 \\xff"; /m
  const list = await run('orgs', 'list', '--format', 'csv')
  t.is(list.code, 0, list.stderr)
  t.deepEqual(
    (parse(list.stdout, {columns: true}) as Array<{slug: string; name: string}>).map((r) => [r.slug, r.name]),
    [
      ['bad', 'Caf\\xe9 \\xff'],
      ['good', 'Good'],
    ],
  )
  t.regex(list.stderr, note)
  const file = join(dir, 'raw.csv')
  writeFileSync(file, 'email,name,user_type,role\nraw@example.org,Raw,client,member\n')
  const onboard = await run('onboard', file, '--org', 'bad', '--yes')
  t.is(onboard.code, 0, onboard.stderr)
  const dashboard = await run('dashboard', '--once', '--format', 'json')
  t.is(dashboard.code, 0, dashboard.stderr)
  const update = await run('orgs', 'update', 'bad', '--name', 'Café', '--yes', '--format', 'json')
  t.is(update.code, 0, update.stderr)
  t.is(JSON.parse(update.stdout)[0].before, 'Caf\\xe9 \\xff')
  const after = await run('orgs', 'list', '--format', 'csv')
  t.regex(after.stdout, /^bad,Café,/m)
  t.notRegex(after.stderr, /not UTF-8/)
})
