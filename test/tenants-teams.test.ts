import test from 'ava'
import {auditRows, checksum, cliFor, fileDb, fixture, json} from './tenants-fixtures.js'

let ids: Awaited<ReturnType<typeof fixture>>
const getDb = fileDb(test, async (d) => {
  ids = await fixture(d.pg)
})
const run = cliFor(getDb)
const cli = (...args: string[]) => run(args)

test.serial(
  'teams create, add-member, list, show, remove-member, delete, with audit rows and exit codes',
  async (t) => {
    const db = getDb()
    const made = await cli('teams', 'create', '--org', 'north-high', '--slug', 'strings', '--name', 'Strings', '--json')
    t.is(made.code, 0, made.stderr)
    const [dup, badSlug, lead, outsider, noTeam] = await Promise.all([
      cli('teams', 'create', '--org', 'north-high', '--slug', 'strings', '--name', 'Again'),
      cli('teams', 'create', '--org', 'north-high', '--slug', 'No Spaces', '--name', 'X'),
      cli('teams', 'add-member', 'strings', 'ada@example.org', '--org', 'north-high', '--role', 'lead', '--json'),
      cli('teams', 'add-member', 'strings', 'cy@example.org', '--org', 'north-high'),
      cli('teams', 'add-member', 'winds', 'ada@example.org', '--org', 'north-high'),
    ])
    t.deepEqual([dup.code, badSlug.code, lead.code, outsider.code, noTeam.code], [5, 2, 0, 4, 4])
    t.regex(
      outsider.stderr,
      /^Error: cy@example\.org is not a member of north-high\nHint: add them to the organization first with `fluxadmin members add north-high cy@example\.org`/,
    )
    const again = await cli('teams', 'add-member', 'strings', 'ada@example.org', '--org', 'north-high')
    t.is(again.code, 5)
    t.regex(again.stderr, /^Error: ada@example\.org is already in team strings\n/)
    const [list, show] = await Promise.all([
      cli('teams', 'list', '--org', 'north-high', '--json'),
      cli('teams', 'show', 'strings', '--org', 'north-high', '--json'),
    ])
    t.deepEqual(
      json(list.stdout).map((r: {slug: string; members: number}) => [r.slug, r.members]),
      [
        ['brass', 0],
        ['strings', 1],
      ],
    )
    t.deepEqual(json(show.stdout)[0].member_list, [{email: 'ada@example.org', role: 'lead'}])
    const before = await checksum(db.pg)
    t.is((await cli('teams', 'delete', 'strings', '--org', 'north-high', '--dry-run')).code, 0)
    t.deepEqual(await checksum(db.pg), before)
    t.is((await cli('teams', 'remove-member', 'strings', 'ada@example.org', '--org', 'north-high')).code, 2)
    t.is((await cli('teams', 'remove-member', 'strings', 'ada@example.org', '--org', 'north-high', '--yes')).code, 0)
    await db.pg.query(
      "INSERT INTO projects (organization_id, name, slug, manager_id, team_id, project_type, service_category, service_tier, ensemble_type) SELECT t.organization_id, 'Gala', 'gala', $1, t.id, 'event', 'music', 'standard', 'band' FROM teams t WHERE t.slug = 'strings'",
      [ids.id.ada],
    )
    const used = await cli('teams', 'delete', 'strings', '--org', 'north-high', '--yes')
    t.is(used.code, 5)
    t.regex(used.stderr, /^Error: team strings still has 1 project: gala\nHint: move or delete those projects first\n/)
    await db.pg.query("DELETE FROM projects WHERE slug = 'gala'")
    const del = await cli('teams', 'delete', 'strings', '--org', 'north-high', '--yes', '--json')
    t.is(del.code, 0, del.stderr)
    const {rows} = await db.pg.query("SELECT 1 FROM teams WHERE slug = 'strings'")
    t.is(rows.length, 0)
    const [added] = await auditRows(db.pg, 'admin.team.member_added')
    t.like(added.metadata, {actor: 'ops-test', org_id: ids.org['north-high'], user_id: ids.id.ada})
    for (const type of ['admin.team.created', 'admin.team.member_removed', 'admin.team.deleted'])
      t.is((await auditRows(db.pg, type)).length, 1, type)
  },
)
