import {execFileSync} from 'node:child_process'
import test from 'ava'
import {lifecycleFixture} from './lifecycle-fixtures.js'
import {auditRows, checksum, cliFor, fileDb, json} from './tenants-fixtures.js'

let ids: Awaited<ReturnType<typeof lifecycleFixture>>
const db = fileDb(test, async (d) => {
  ids = await lifecycleFixture(d.pg)
  // ada's co-owner: an organization's only owner cannot be erased (hardening-owner.test.ts).
  await d.pg.query("INSERT INTO organization_members (organization_id, user_id, role) VALUES ($1, $2, 'owner')", [
    ids.org['north-high'],
    ids.id.cy,
  ])
})
const cli = cliFor(db)
const dump = () =>
  execFileSync('pg_dump', ['--data-only', '--dbname', db().url], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'ignore'],
  })

test.serial(
  '--dry-run previews the erasure and changes nothing; without --yes off a terminal it is refused',
  async (t) => {
    const before = await checksum(db().pg)
    const dry = await cli(['users', 'erase', 'ada@example.org', '--dry-run', '--format', 'json'])
    t.is(dry.code, 0, dry.stderr)
    t.true(
      json(dry.stdout).some(
        (c: {kind: string; field: string; after: string}) =>
          c.field === 'email' && /^erased-.*@erased\.invalid$/.test(c.after),
      ),
    )
    t.is((await cli(['users', 'erase', 'ada@example.org'])).code, 2)
    t.is((await cli(['users', 'erase', 'ada@example.org', '--messages', 'shred', '--yes'])).code, 2)
    t.deepEqual(await checksum(db().pg), before)
  },
)

test.serial(
  "after an erasure a data-only dump holds neither the email nor the name; the others' conversations still read",
  async (t) => {
    // Audit rows that name her: an update and a membership.
    t.is((await cli(['users', 'update', 'ada@example.org', '--name', 'Ada Lovelace', '--yes'])).code, 0)
    t.is((await cli(['members', 'add', 'south-uni', 'ada@example.org', '--yes'])).code, 0)
    const before = dump()
    t.true(before.includes('ada@example.org') && before.includes('Ada Lovelace'))
    const r = await cli(['users', 'erase', 'ADA@example.org', '--yes', '--format', 'json'])
    t.is(r.code, 0, r.stderr)
    const text = dump()
    t.false(/ada@example\.org/i.test(text), 'no email')
    t.false(text.includes('Ada Lovelace'), 'no name')
    t.false(text.includes('+1 555 0100'), 'no phone')
    const {
      rows: [ada],
    } = await db().pg.query('SELECT * FROM users WHERE id = $1', [ids.id.ada])
    t.like(ada, {
      email: `erased-${ids.id.ada}@erased.invalid`,
      name: 'Erased user',
      phone: null,
      password_hash: null,
      oauth_id: null,
      is_active: false,
    })
    t.deepEqual(ada.preferences, {})
    t.is((await db().pg.query('SELECT 1 FROM refresh_tokens WHERE user_id = $1', [ids.id.ada])).rowCount, 0)
    t.is((await db().pg.query('SELECT 1 FROM organization_members WHERE user_id = $1', [ids.id.ada])).rowCount, 0)
    // Bob's conversation in north-high still reads, her messages kept under the placeholder name.
    const {rows} = await db().pg.query(
      `SELECT u.name, m.content FROM messages m JOIN users u ON u.id = m.author_id
    JOIN conversations c ON c.id = m.conversation_id WHERE c.organization_id = $1 ORDER BY m.created_at`,
      [ids.org['north-high']],
    )
    t.is(rows.length, 7)
    t.true(rows.some((m) => m.name === 'Erased user' && m.content === 'quotes \' " `'))
    t.true(rows.some((m) => m.name === 'Bob'))
    const [audit] = await auditRows(db().pg, 'admin.user.erased')
    t.is(audit.user_id, ids.id.ada)
    t.is(audit.metadata.messages, 'keep')
  },
)

test.serial('--messages redact replaces the content of their messages, the rows stay', async (t) => {
  const r = await cli(['users', 'erase', 'bob@example.org', '--messages', 'redact', '--yes'])
  t.is(r.code, 0, r.stderr)
  const {rows} = await db().pg.query('SELECT DISTINCT content FROM messages WHERE author_id = $1', [ids.id.bob])
  t.deepEqual(
    rows.map((m) => m.content),
    ['[erased]'],
  )
  t.false(/bob@example\.org/i.test(dump()))
})
