import test from 'ava'
import {auditRows, checksum, cliFor, fileDb, fixture, json, projectFixture} from './tenants-fixtures.js'

let ids: Awaited<ReturnType<typeof fixture>>
let project: Awaited<ReturnType<typeof projectFixture>>
const getDb = fileDb(test, async (d) => {
  ids = await fixture(d.pg)
  project = await projectFixture(d.pg, ids)
})
const run = cliFor(getDb)
const cli = (...args: string[]) => run(args)
const ONE_LINE_WITH_HINT = /^Error: [^\n]+\nHint: [^\n]+\n?$/
const roles = (stdout: string) => json(stdout).map((m: {email: string; role: string}) => [m.email, m.role])

test.serial('projects list shows status, due date, manager and member count; --status filters', async (t) => {
  const all = await cli('projects', 'list', 'north-high', '--json')
  t.is(all.code, 0, all.stderr)
  t.deepEqual(json(all.stdout), [
    {
      slug: 'spring-concert',
      name: 'Spring Concert',
      status: 'active',
      due_date: '2030-05-01',
      manager_email: 'ada@example.org',
      members: 1,
      team: null,
      id: project.north,
    },
  ])
  const [planning, bad] = await Promise.all([
    cli('projects', 'list', 'north-high', '--status', 'planning', '--json'),
    cli('projects', 'list', 'north-high', '--status', 'sleeping'),
  ])
  t.deepEqual(json(planning.stdout), [])
  t.is(bad.code, 2)
})

test.serial('add-member, members, set-role, remove-member: one audit row each with the actor', async (t) => {
  const db = getDb()
  const add = await cli('projects', 'add-member', 'north-high', 'spring-concert', 'BOB@example.org', '--json')
  t.is(add.code, 0, add.stderr)
  t.like(json(add.stdout)[0], {
    action: 'add',
    kind: 'project_member',
    name: 'north-high/spring-concert/bob@example.org',
    field: 'role',
    before: null,
    after: 'contributor',
  })
  const [bySlug, byId] = await Promise.all([
    cli('projects', 'members', 'north-high', 'spring-concert', '--json'),
    cli('projects', 'members', ids.org['north-high'], project.north, '--json'),
  ])
  t.deepEqual(roles(bySlug.stdout), [
    ['ada@example.org', 'manager'],
    ['bob@example.org', 'contributor'],
  ])
  t.deepEqual(json(byId.stdout), json(bySlug.stdout))
  const role = await cli('projects', 'set-role', 'north-high', 'spring-concert', ids.id.bob, 'viewer', '--json')
  t.deepEqual(
    json(role.stdout).map((c: {before: string; after: string}) => [c.before, c.after]),
    [['contributor', 'viewer']],
  )
  const remove = await cli('projects', 'remove-member', 'north-high', 'spring-concert', 'bob@example.org', '--yes')
  t.is(remove.code, 0, remove.stderr)
  t.deepEqual(roles((await cli('projects', 'members', 'north-high', 'spring-concert', '--json')).stdout), [
    ['ada@example.org', 'manager'],
  ])

  const metadata = {
    actor: 'ops-test',
    org_id: ids.org['north-high'],
    project_id: project.north,
    user_id: ids.id.bob,
    dry_run: false,
  }
  const [added] = await auditRows(db.pg, 'admin.project_member.added')
  t.like(added, {
    user_id: ids.id.bob,
    severity: 'info',
    metadata: {...metadata, changes: [{field: 'role', before: null, after: 'contributor'}]},
  })
  const [changed] = await auditRows(db.pg, 'admin.project_member.role_changed')
  t.like(changed.metadata, {...metadata, changes: [{field: 'role', before: 'contributor', after: 'viewer'}]})
  const [removed] = await auditRows(db.pg, 'admin.project_member.removed')
  t.like(removed, {
    severity: 'warning',
    metadata: {...metadata, args: {org: 'north-high', project: 'spring-concert', user: 'bob@example.org', role: null}},
  })
  for (const type of ['added', 'role_changed', 'removed'])
    t.is((await auditRows(db.pg, `admin.project_member.${type}`)).length, 1, type)
})

test.serial('--dry-run shows the change and leaves every table as it was', async (t) => {
  const db = getDb()
  const before = await checksum(db.pg)
  const [add, role, remove] = await Promise.all([
    cli(
      'projects',
      'add-member',
      'north-high',
      'spring-concert',
      'bob@example.org',
      '--role',
      'client',
      '--dry-run',
      '--json',
    ),
    cli('projects', 'set-role', 'north-high', 'spring-concert', 'ada@example.org', 'viewer', '--dry-run', '--json'),
    cli('projects', 'remove-member', 'north-high', 'spring-concert', 'ada@example.org', '--dry-run', '--json'),
  ])
  t.like(json(add.stdout)[0], {action: 'add', after: 'client'})
  t.like(json(role.stdout)[0], {action: 'update', before: 'manager', after: 'viewer'})
  t.like(json(remove.stdout)[0], {action: 'remove', before: 'manager', after: null})
  for (const r of [add, role, remove]) t.regex(r.stderr, /dry run: 1 change previewed, nothing written/)
  t.deepEqual(await checksum(db.pg), before)
})

test.serial(
  'exit codes: 2 invalid input or no --yes off a terminal, 4 unknown or not a member, 5 already a member',
  async (t) => {
    const db = getDb()
    const before = await checksum(db.pg)
    const cases: Array<[string[], number, RegExp]> = [
      [
        ['add-member', 'north-high', 'spring-concert', 'ada@example.org'],
        5,
        /ada@example.org is already a member of project spring-concert\nHint: .*projects set-role/,
      ],
      [
        ['add-member', 'north-high', 'spring-concert', 'cy@example.org'],
        4,
        /cy@example.org is not a member of north-high\nHint: .*fluxadmin members add north-high cy@example.org/,
      ],
      [
        ['add-member', 'north-high', 'spring-concert', 'bob@example.org', '--role', 'owner'],
        2,
        /invalid project role "owner"\nHint: one of: manager, contributor, client, viewer/,
      ],
      [['add-member', 'north-high', project.south, 'bob@example.org'], 4, /no project/],
      [
        ['add-member', 'north-high', 'autumn-gala', 'bob@example.org'],
        4,
        /no project "autumn-gala"\nHint: .*projects list/,
      ],
      [['add-member', 'nowhere', 'spring-concert', 'bob@example.org'], 4, /no organization "nowhere"/],
      [['add-member', 'north-high', 'spring-concert', 'zed@example.org'], 4, /no user "zed@example.org"/],
      [['add-member', 'north-high', 'Not A Slug!', 'bob@example.org'], 2, /invalid project "Not A Slug!"/],
      [
        ['set-role', 'north-high', 'spring-concert', 'bob@example.org', 'viewer'],
        4,
        /bob@example.org is not a member of project spring-concert/,
      ],
      [['set-role', 'north-high', 'spring-concert', 'ada@example.org', 'emperor'], 2, /invalid project role "emperor"/],
      [
        ['remove-member', 'north-high', 'spring-concert', 'bob@example.org', '--yes'],
        4,
        /not a member of project spring-concert/,
      ],
      [
        ['remove-member', 'north-high', 'spring-concert', 'ada@example.org'],
        2,
        /without confirmation\nHint: pass --yes/,
      ],
      [['members', 'south-uni', 'Spring Concert'], 2, /invalid project/],
    ]
    const results = await Promise.all(cases.map(([args]) => cli('projects', ...args)))
    results.forEach((r, i) => {
      const [args, code, message] = cases[i]
      t.is(r.code, code, `${args.join(' ')}: ${r.stderr}`)
      t.regex(r.stderr, ONE_LINE_WITH_HINT, args.join(' '))
      t.regex(r.stderr, message, args.join(' '))
    })
    t.deepEqual(await checksum(db.pg), before)
  },
)

test.serial("members remove takes the user out of the organization's projects too", async (t) => {
  t.is((await cli('projects', 'add-member', 'north-high', 'spring-concert', 'bob@example.org')).code, 0)
  const removed = await cli('members', 'remove', 'north-high', 'bob@example.org', '--yes', '--json')
  t.is(removed.code, 0, removed.stderr)
  t.like(
    json(removed.stdout).find((c: {kind: string}) => c.kind === 'project_member'),
    {action: 'remove', field: 'projects', before: 1, after: 0},
  )
  t.deepEqual(roles((await cli('projects', 'members', 'north-high', 'spring-concert', '--json')).stdout), [
    ['ada@example.org', 'manager'],
  ])
  t.is((await cli('members', 'add', 'north-high', 'bob@example.org')).code, 0)
})
