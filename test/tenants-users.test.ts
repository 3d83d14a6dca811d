import test from 'ava'
import {auditRows, checksum, cliFor, fileDb, fixture, json} from './tenants-fixtures.js'

let ids: Awaited<ReturnType<typeof fixture>>
const getDb = fileDb(test, async (d) => {
  ids = await fixture(d.pg)
})
const cli = cliFor(getDb)

test.serial('users list, show by email and UUID; unknown 4, invalid reference 2', async (t) => {
  const [list, byEmail, byId, missing, invalid] = await Promise.all([
    cli(['users', 'list', '--org', 'north-high', '--json']),
    cli(['users', 'show', 'ADA@example.org', '--json']),
    cli(['users', 'show', ids.id.bob, '--json']),
    cli(['users', 'show', 'nobody@example.org']),
    cli(['users', 'show', 'not-a-uuid']),
  ])
  t.is(list.code, 0, list.stderr)
  t.deepEqual(
    json(list.stdout).map((u: {email: string; active_sessions: number}) => [u.email, u.active_sessions]),
    [
      ['ada@example.org', 1],
      ['bob@example.org', 1],
    ],
  )
  t.like(json(byEmail.stdout)[0], {
    email: 'ada@example.org',
    has_password: false,
    org_list: [{slug: 'north-high', role: 'owner'}],
  })
  t.is(json(byId.stdout)[0].email, 'bob@example.org')
  t.is(missing.code, 4)
  t.regex(missing.stderr, /^Error: no user "nobody@example.org"\nHint: /)
  t.is(invalid.code, 2)
})

test.serial(
  'users create reads the password from stdin and stores a bcrypt cost-12 hash; duplicates are 5, bad input 2',
  async (t) => {
    const made = await cli(
      [
        'users',
        'create',
        '--email',
        'Dee@Example.org',
        '--name',
        'Dee',
        '--type',
        'designer',
        '--password-stdin',
        '--json',
      ],
      'correct horse battery\n',
    )
    t.is(made.code, 0, made.stderr)
    const {
      rows: [u],
    } = await getDb().pg.query("SELECT password_hash FROM users WHERE email = 'dee@example.org'")
    t.regex(u.password_hash, /^\$2[aby]\$12\$/)
    const {default: bcrypt} = await import('bcryptjs')
    t.true(await bcrypt.compare('correct horse battery', u.password_hash))
    t.false(made.stdout.includes('correct horse'))
    const [audit] = await auditRows(getDb().pg, 'admin.user.created')
    t.like(audit.metadata, {actor: 'ops-test', args: {email: 'dee@example.org', type: 'designer'}})
    t.false(JSON.stringify(audit.metadata).includes('correct horse'))
    const results = await Promise.all([
      cli(['users', 'invite', '--email', 'dee@example.org', '--name', 'Dee', '--type', 'client']),
      cli(['users', 'invite', '--email', 'not-an-email', '--name', 'X', '--type', 'client']),
      cli(['users', 'invite', '--email', 'x@example.org', '--name', 'X', '--type', 'wizard']),
      cli(
        ['users', 'create', '--email', 'y@example.org', '--name', 'Y', '--type', 'client', '--password-stdin'],
        'short\n',
      ),
    ])
    t.deepEqual(
      results.map((r) => r.code),
      [5, 2, 2, 2],
    )
    t.regex(results[0].stderr, /already exists/)
  },
)

test.serial('users invite creates a passwordless user in an org; update shows before/after', async (t) => {
  const inv = await cli([
    'users',
    'invite',
    '--email',
    'eve@example.org',
    '--name',
    'Eve',
    '--type',
    'client',
    '--org',
    'south-uni',
    '--role',
    'viewer',
    '--json',
  ])
  t.is(inv.code, 0, inv.stderr)
  t.deepEqual(
    json(inv.stdout).map((c: {action: string; kind: string}) => `${c.action} ${c.kind}`),
    ['create user', 'add member'],
  )
  const {
    rows: [m],
  } = await getDb().pg.query(
    "SELECT m.role, u.password_hash FROM organization_members m JOIN users u ON u.id = m.user_id WHERE u.email = 'eve@example.org'",
  )
  t.deepEqual(m, {role: 'viewer', password_hash: null})
  t.is((await auditRows(getDb().pg, 'admin.user.invited')).length, 1)
  const up = await cli(['users', 'update', 'eve@example.org', '--type', 'designer', '--json'])
  t.deepEqual(
    json(up.stdout).map((c: {field: string; before: string; after: string}) => [c.field, c.before, c.after]),
    [['user_type', 'client', 'designer']],
  )
  await getDb().pg.query("INSERT INTO users (email, name, user_type) VALUES ('Mixed@Example.org', 'Mixed', 'client')")
  const taken = await cli(['users', 'update', 'eve@example.org', '--email', 'MIXED@example.org'])
  t.is(taken.code, 5, taken.stderr)
  t.regex(taken.stderr, /^Error: a user with email Mixed@Example\.org already exists\n/)
  const own = await cli(['users', 'update', 'eve@example.org', '--email', 'EVE@example.org', '--json'])
  t.is(own.code, 0, own.stderr)
})

test.serial('users deactivate: dry run changes nothing; then revokes every token; reactivate', async (t) => {
  const db = getDb()
  const before = await checksum(db.pg)
  const dry = await cli(['users', 'deactivate', 'ada@example.org', '--dry-run', '--json'])
  t.is(dry.code, 0, dry.stderr)
  // ada: one active token and one expired-but-not-revoked token are revoked, the revoked one is not touched.
  t.is(json(dry.stdout).filter((c: {kind: string}) => c.kind === 'session').length, 2)
  t.deepEqual(await checksum(db.pg), before)
  t.is((await cli(['users', 'deactivate', 'ada@example.org'])).code, 2)
  const real = await cli(['users', 'deactivate', 'ada@example.org', '--yes', '--json'])
  t.is(real.code, 0, real.stderr)
  const {
    rows: [r],
  } = await db.pg.query('SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL', [
    ids.id.ada,
  ])
  t.is(r.n, 0)
  const [audit] = await auditRows(db.pg, 'admin.user.deactivated')
  t.is(audit.user_id, ids.id.ada)
  t.is(audit.metadata.revoked_tokens.length, 2)
  t.is((await cli(['users', 'deactivate', 'ada@example.org', '--yes'])).code, 5)
  t.is((await cli(['users', 'reactivate', 'ada@example.org'])).code, 0)
  const {
    rows: [u],
  } = await db.pg.query('SELECT is_active FROM users WHERE id = $1', [ids.id.ada])
  t.true(u.is_active)
})
