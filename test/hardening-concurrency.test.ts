// Concurrent operators (issue 13, items 19 and 20): the documented rules hold under any interleaving.
import test from 'ava'
import {resolveTarget} from '../src/db/resolve.js'
import {openSession, type Session} from '../src/db/session.js'
import {changeMember} from '../src/tenants/members.js'
import {changeTeamMember} from '../src/tenants/teams.js'
import {runCli} from './helpers/cli.js'
import {freshDb} from './helpers/db.js'

const PAIRS = 24

test(`teams add-member racing members remove on the same user (${PAIRS} pairs): a team member is always an organization member`, async (t) => {
  const db = await freshDb(t)
  const {
    rows: [org],
  } = await db.pg.query("INSERT INTO organizations (name, slug, type) VALUES ('Race', 'race', 'studio') RETURNING id")
  await db.pg.query("INSERT INTO teams (organization_id, name, slug) VALUES ($1, 'Drums', 'drums')", [org.id])
  const {rows: users} = await db.pg.query(`INSERT INTO users (email, name, user_type)
    SELECT 'racer' || g || '@example.org', 'Racer ' || g, 'client' FROM generate_series(1, ${PAIRS}) g RETURNING email`)
  await db.pg.query(
    "INSERT INTO organization_members (organization_id, user_id) SELECT $1, id FROM users WHERE email LIKE 'racer%'",
    [org.id],
  )
  const sessions: Session[] = await Promise.all(
    Array.from({length: PAIRS * 2}, () => openSession(resolveTarget(db.url))),
  )
  t.teardown(() => Promise.all(sessions.map((s) => s.close())))
  const outcomes = await Promise.all(
    users.flatMap(({email}, i) => [
      changeTeamMember(sessions[2 * i], 'add', 'race', 'drums', email, undefined, {actor: 'race-test'}).then(
        () => 'added',
        (e: Error) => e.message,
      ),
      changeMember(sessions[2 * i + 1], 'remove', 'race', email, undefined, {actor: 'race-test'}).then(
        () => 'removed',
        (e: Error) => e.message,
      ),
    ]),
  )
  for (const outcome of outcomes) t.regex(outcome, /^(added|removed|\S+ is not a member of race)$/)
  const {rows: orphans} = await db.pg
    .query(`SELECT u.email FROM team_members tm JOIN teams t ON t.id = tm.team_id JOIN users u ON u.id = tm.user_id
    WHERE NOT EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = t.organization_id AND m.user_id = tm.user_id)`)
  t.deepEqual(orphans, [], 'team members who are not organization members')
  const {
    rows: [left],
  } = await db.pg.query('SELECT count(*)::int AS n FROM organization_members WHERE organization_id = $1', [org.id])
  t.is(left.n, 0, 'every removal happened')
})

test('two db migrate at once on a new database: the second waits for the first and reports what it found applied', async (t) => {
  const db = await freshDb(t, {migrated: false})
  const [a, b] = await Promise.all([0, 1].map(() => runCli(['db', 'migrate', '--db-url', db.url, '--format', 'json'])))
  t.is(a.code, 0, a.stderr)
  t.is(b.code, 0, b.stderr)
  const actions = [a, b].map((r) => new Set((JSON.parse(r.stdout) as Array<{action: string}>).map((m) => m.action)))
  const waited = [a, b].findIndex((r) =>
    /another db migrate is running on this database; waiting for it/.test(r.stderr),
  )
  // Usually one waits; should the second start only after the first committed, it finds everything applied too.
  const second = waited === -1 ? actions.findIndex((s) => s.has('already applied')) : waited
  t.not(second, -1, `${a.stderr}\n${b.stderr}`)
  t.deepEqual([...actions[second]], ['already applied'])
  t.deepEqual([...actions[1 - second]], ['applied'])
  const {
    rows: [{n}],
  } = await db.pg.query('SELECT count(*)::int AS n FROM fluxadmin.schema_migrations')
  t.true(n > 5)
})
