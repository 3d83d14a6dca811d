import test from 'ava'
import {auditRows, checksum, cliFor, fileDb, fixture, json} from './tenants-fixtures.js'

let ids: Awaited<ReturnType<typeof fixture>>
const getDb = fileDb(test, async (d) => {
  ids = await fixture(d.pg)
})
const run = cliFor(getDb)
const cli = (...args: string[]) => run(args)

test.serial('orgs list filters and counts members and teams', async (t) => {
  const all = await cli('orgs', 'list', '--json')
  t.is(all.code, 0, all.stderr)
  const rows = json(all.stdout)
  t.deepEqual(
    rows.map((r: {slug: string}) => r.slug),
    ['north-high', 'south-uni'],
  )
  t.like(rows[0], {
    members: 2,
    teams: 1,
    projects: 0,
    files: 0,
    storage_bytes: 0,
    status: 'active',
    type: 'high_school',
  })
  const search = await cli('orgs', 'list', '--search', 'SOUTH', '--format', 'csv')
  t.is(search.stdout.split('\n')[1].split(',')[0], 'south-uni')
  const bad = await cli('orgs', 'list', '--type', 'spaceship')
  t.is(bad.code, 2)
})

test.serial('orgs show by slug and by UUID; unknown is 4, bad UUID-ish text is 2', async (t) => {
  const bySlug = json((await cli('orgs', 'show', 'north-high', '--json')).stdout)[0]
  t.is(bySlug.id, ids.org['north-high'])
  t.deepEqual(bySlug.member_list, [
    {email: 'ada@example.org', role: 'owner'},
    {email: 'bob@example.org', role: 'member'},
  ])
  t.deepEqual(bySlug.team_list, [{slug: 'brass', members: 0}])
  const byId = json((await cli('orgs', 'show', ids.org['south-uni'], '--json')).stdout)[0]
  t.is(byId.slug, 'south-uni')
  const missing = await cli('orgs', 'show', 'nowhere')
  t.is(missing.code, 4)
  t.regex(missing.stderr, /^Error: no organization "nowhere"\nHint: /)
  const invalid = await cli('orgs', 'show', 'Not A Slug!')
  t.is(invalid.code, 2)
})

test.serial(
  'orgs create validates, writes one audit row with the actor, and rejects a duplicate slug with 5',
  async (t) => {
    t.is((await cli('orgs', 'create', '--slug', 'Bad_Slug', '--name', 'X', '--type', 'studio')).code, 2)
    t.is((await cli('orgs', 'create', '--slug', 'ok-slug', '--name', 'X', '--type', 'spaceship')).code, 2)
    const made = await cli(
      'orgs',
      'create',
      '--slug',
      'east-studio',
      '--name',
      'East Studio',
      '--type',
      'studio',
      '--tier',
      'pro',
      '--json',
    )
    t.is(made.code, 0, made.stderr)
    const [row] = json(made.stdout)
    t.like(row, {action: 'create', kind: 'organization', name: 'east-studio'})
    const audit = await auditRows(getDb().pg, 'admin.org.created')
    t.is(audit.length, 1)
    t.like(audit[0].metadata, {actor: 'ops-test', org_id: row.id, dry_run: false})
    t.regex(audit[0].user_agent, /^fluxadmin\//)
    const dup = await cli('orgs', 'create', '--slug', 'east-studio', '--name', 'Again', '--type', 'studio')
    t.is(dup.code, 5)
    t.regex(dup.stderr, /already exists/)
  },
)

test.serial('orgs update shows before and after; dry run leaves every table unchanged', async (t) => {
  const before = await checksum(getDb().pg)
  const dry = await cli('orgs', 'update', 'north-high', '--tier', 'pro', '--name', 'North HS', '--dry-run', '--json')
  t.is(dry.code, 0, dry.stderr)
  t.deepEqual(
    json(dry.stdout).map((c: {field: string; before: string; after: string}) => [c.field, c.before, c.after]),
    [
      ['name', 'North High', 'North HS'],
      ['subscription_tier', 'free', 'pro'],
    ],
  )
  t.regex(dry.stderr, /dry run/)
  t.deepEqual(await checksum(getDb().pg), before)
  const real = await cli('orgs', 'update', 'north-high', '--tier', 'pro', '--json')
  t.is(real.code, 0)
  const {
    rows: [org],
  } = await getDb().pg.query("SELECT subscription_tier FROM organizations WHERE slug = 'north-high'")
  t.is(org.subscription_tier, 'pro')
  t.is((await auditRows(getDb().pg, 'admin.org.updated')).length, 1)
})

test.serial(
  'orgs suspend needs --yes off a TTY, previews revocations, revokes only exclusive members, unsuspend restores',
  async (t) => {
    const noYes = await cli('orgs', 'suspend', 'north-high', '--reason', 'unpaid')
    t.is(noYes.code, 2)
    t.regex(noYes.stderr, /--yes/)
    const before = await checksum(getDb().pg)
    const dry = await cli('orgs', 'suspend', 'north-high', '--reason', 'unpaid', '--dry-run', '--json')
    t.is(dry.code, 0, dry.stderr)
    const revokes = json(dry.stdout).filter((c: {action: string}) => c.action === 'revoke')
    // ada belongs only to north-high: her one active token; bob is also in south-uni (active): kept.
    t.deepEqual(
      revokes.map((c: {name: string}) => c.name),
      ['ada@example.org'],
    )
    t.deepEqual(await checksum(getDb().pg), before)

    const real = await cli('orgs', 'suspend', 'north-high', '--reason', 'unpaid', '--yes', '--json')
    t.is(real.code, 0, real.stderr)
    const {rows: active} = await getDb().pg.query(
      'SELECT u.email FROM refresh_tokens r JOIN users u ON u.id = r.user_id WHERE r.revoked_at IS NULL AND r.expires_at > now() ORDER BY 1',
    )
    t.deepEqual(
      active.map((r) => r.email),
      ['bob@example.org', 'cy@example.org'],
    )
    const {
      rows: [org],
    } = await getDb().pg.query("SELECT subscription_status, settings FROM organizations WHERE slug = 'north-high'")
    t.is(org.subscription_status, 'suspended')
    t.is(org.settings.suspension.reason, 'unpaid')
    const [audit] = await auditRows(getDb().pg, 'admin.org.suspended')
    t.is(audit.metadata.revoked_tokens.length, 1)
    t.deepEqual(audit.metadata.affected_users, [ids.id.ada])
    t.is(audit.metadata.args.reason, 'unpaid')
    t.is((await cli('orgs', 'suspend', 'north-high', '--reason', 'again', '--yes')).code, 5)

    const un = await cli('orgs', 'unsuspend', 'north-high', '--json')
    t.is(un.code, 0, un.stderr)
    const {
      rows: [after],
    } = await getDb().pg.query("SELECT subscription_status, settings FROM organizations WHERE slug = 'north-high'")
    t.is(after.subscription_status, 'active')
    t.is(after.settings.suspension, undefined)
    t.is((await auditRows(getDb().pg, 'admin.org.unsuspended')).length, 1)
  },
)
