import test from 'ava'
import {auditRows, checksum, cliFor, fileDb, fixture, json} from './tenants-fixtures.js'

let ids: Awaited<ReturnType<typeof fixture>>
const getDb = fileDb(test, async (d) => {
  ids = await fixture(d.pg)
})
const run = cliFor(getDb)
const cli = (...args: string[]) => run(args)

test.serial('members add, set-role, list, remove; already a member is 5, not a member 4, bad role 2', async (t) => {
  const add = await cli('members', 'add', 'south-uni', 'cy@example.org', '--role', 'viewer', '--json')
  t.is(add.code, 0, add.stderr)
  const [again, badRole, notMember] = await Promise.all([
    cli('members', 'add', 'south-uni', 'cy@example.org'),
    cli('members', 'add', 'south-uni', 'ada@example.org', '--role', 'emperor'),
    cli('members', 'set-role', 'south-uni', 'ada@example.org', 'admin'),
  ])
  t.is(again.code, 5)
  t.is(badRole.code, 2)
  t.is(notMember.code, 4)
  const role = await cli('members', 'set-role', 'south-uni', 'cy@example.org', 'admin', '--json')
  t.deepEqual(
    json(role.stdout).map((c: {before: string; after: string}) => [c.before, c.after]),
    [['viewer', 'admin']],
  )
  const list = json((await cli('members', 'list', 'south-uni', '--json')).stdout)
  t.deepEqual(
    list.map((m: {email: string; role: string}) => [m.email, m.role]),
    [
      ['bob@example.org', 'admin'],
      ['cy@example.org', 'admin'],
    ],
  )
  const before = await checksum(getDb().pg)
  t.is((await cli('members', 'remove', 'south-uni', 'cy@example.org', '--dry-run')).code, 0)
  t.deepEqual(await checksum(getDb().pg), before)
  t.is((await cli('members', 'remove', 'south-uni', 'cy@example.org', '--yes')).code, 0)
  const [removed] = await auditRows(getDb().pg, 'admin.member.removed')
  t.like(removed.metadata, {actor: 'ops-test', org_id: ids.org['south-uni'], user_id: ids.id.cy, dry_run: false})
  t.is((await auditRows(getDb().pg, 'admin.member.role_changed')).length, 1)
})

test.serial('20 concurrent members add into one org all succeed with 20 audit rows', async (t) => {
  const db = getDb()
  const {rows: users} = await db.pg.query(`INSERT INTO users (email, name, user_type)
    SELECT 'c' || g || '@example.org', 'C' || g, 'client' FROM generate_series(1, 20) g RETURNING email`)
  const results = await Promise.all(users.map((u) => cli('members', 'add', 'north-high', u.email, '--format', 'csv')))
  t.deepEqual(
    results.map((r) => r.code),
    Array(20).fill(0),
    results.map((r) => r.stderr).join(''),
  )
  const {
    rows: [n],
  } = await db.pg.query(
    `SELECT count(*)::int AS n FROM organization_members m JOIN users u ON u.id = m.user_id
    WHERE m.organization_id = $1 AND u.email LIKE 'c%@example.org' AND u.email <> 'cy@example.org'`,
    [ids.org['north-high']],
  )
  t.is(n.n, 20)
  const audit = (await auditRows(db.pg, 'admin.member.added')).filter(
    (a) => a.metadata.org_id === ids.org['north-high'],
  )
  t.is(audit.length, 20)
  t.is(new Set(audit.map((a) => a.user_id)).size, 20)
})

test.serial(
  'the only owner is neither removed nor demoted (exit 5); of two owners removed at once, one stays',
  async (t) => {
    const db = getDb()
    const {
      rows: [org],
    } = await db.pg.query("INSERT INTO organizations (name, slug, type) VALUES ('Solo', 'solo', 'studio') RETURNING id")
    await db.pg.query(
      `INSERT INTO organization_members (organization_id, user_id, role) VALUES ($1, $2, 'owner'), ($1, $3, 'member')`,
      [org.id, ids.id.ada, ids.id.bob],
    )
    const before = await checksum(db.pg)
    for (const args of [
      ['members', 'remove', 'solo', 'ada@example.org', '--yes'],
      ['members', 'set-role', 'solo', 'ada@example.org', 'admin', '--yes'],
    ]) {
      const r = await cli(...args)
      t.is(r.code, 5, r.stderr)
      t.regex(
        r.stderr,
        /^Error: ada@example\.org is the only owner of solo: it would have none\nHint: make another member owner first \(`fluxadmin members set-role solo USER owner`\)/,
      )
    }
    t.deepEqual(await checksum(db.pg), before)
    t.is((await cli('members', 'set-role', 'solo', 'bob@example.org', 'owner', '--yes')).code, 0)
    const both = await Promise.all(
      ['ada@example.org', 'bob@example.org'].map((email) => cli('members', 'remove', 'solo', email, '--yes')),
    )
    t.deepEqual(both.map((r) => r.code).sort(), [0, 5], both.map((r) => r.stderr).join(''))
    const {rows: owners} = await db.pg.query(
      "SELECT user_id FROM organization_members WHERE organization_id = $1 AND role = 'owner'",
      [org.id],
    )
    t.is(owners.length, 1)
  },
)
