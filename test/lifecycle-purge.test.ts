import test from 'ava'
import type pg from 'pg'
import {query} from '../src/db/queries.js'
import {purgeOrg} from '../src/lifecycle/purge.js'
import {lifecycleFixture, orgSums} from './lifecycle-fixtures.js'
import {auditRows, cliFor, fileDb, json} from './tenants-fixtures.js'

let ids: Awaited<ReturnType<typeof lifecycleFixture>>
const db = fileDb(test, async (d) => {
  ids = await lifecycleFixture(d.pg)
  const north = ids.org['north-high']
  // Enough messages for several batches, and a third organization whose only member is dee.
  await d.pg.query(
    `INSERT INTO messages (conversation_id, author_id, content)
    SELECT c.id, $2, 'bulk ' || g FROM conversations c, generate_series(1, 400) g WHERE c.organization_id = $1`,
    [north, ids.id.ada],
  )
  const {
    rows: [w],
  } = await d.pg.query(
    "INSERT INTO organizations (name, slug, type, subscription_status) VALUES ('West', 'west-col', 'college', 'suspended') RETURNING id",
  )
  const {
    rows: [dee],
  } = await d.pg.query(
    "INSERT INTO users (email, name, user_type) VALUES ('dee@example.org', 'Dee', 'client') RETURNING id",
  )
  await d.pg.query('INSERT INTO organization_members (organization_id, user_id) VALUES ($1, $2)', [w.id, dee.id])
})
const cli = cliFor(db)

/** Every (table, column) with a foreign key to organizations, conversations, projects, teams or files, and how many rows hold one of `ids`. */
async function references(client: pg.Client, ids: string[]): Promise<Record<string, number>> {
  const {rows: fks} = await client.query(`SELECT c.conrelid::regclass::text AS tbl, a.attname AS col
    FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
    WHERE c.contype = 'f' AND c.confrelid::regclass::text IN ('organizations', 'conversations', 'projects', 'teams', 'files')`)
  const out: Record<string, number> = {}
  for (const {tbl, col} of fks) {
    const {
      rows: [r],
    } = await client.query(
      `SELECT count(*)::int AS n FROM ${client.escapeIdentifier(tbl)} WHERE ${client.escapeIdentifier(col)} = ANY($1::uuid[])`,
      [ids],
    )
    out[`${tbl}.${col}`] = r.n
  }
  return out
}

test.serial(
  'purge is refused while the organization is active; --dry-run counts per table and deletes nothing',
  async (t) => {
    const active = await cli(['orgs', 'purge', 'north-high', '--yes'])
    t.is(active.code, 2, active.stderr)
    t.regex(active.stderr, /north-high is active, not suspended/)
    t.is((await cli(['orgs', 'suspend', 'north-high', '--reason', 'left', '--yes'])).code, 0)
    const no = await cli(['orgs', 'purge', 'north-high'])
    t.is(no.code, 2)
    t.regex(no.stderr, /pass --yes/)
    const before = await orgSums(db().pg, ids.org['north-high'])
    const dry = await cli(['orgs', 'purge', 'north-high', '--dry-run', '--format', 'json'])
    t.is(dry.code, 0, dry.stderr)
    const rows = Object.fromEntries(json(dry.stdout).map((c: {kind: string; before: number}) => [c.kind, c.before]))
    t.is(rows.messages, 407)
    t.is(rows.users, 1, 'ada: bob is also in south-uni')
    t.deepEqual(await orgSums(db().pg, ids.org['north-high']), before)
  },
)

test.serial(
  'interrupted by a lock it cannot get, the purge stops; rerun, it completes: nothing references the organization, the other tenants are byte-identical',
  async (t) => {
    const {pg: client} = db()
    const north = ids.org['north-high']
    const {rows: owned} = await client.query(
      `SELECT id FROM conversations WHERE organization_id = $1 UNION ALL SELECT id FROM projects WHERE organization_id = $1
    UNION ALL SELECT id FROM teams WHERE organization_id = $1 UNION ALL SELECT id FROM files WHERE organization_id = $1 UNION ALL SELECT $1`,
      [north],
    )
    const south = await orgSums(client, ids.org['south-uni'])
    const {
      rows: [bob],
    } = await client.query('SELECT u::text FROM users u WHERE id = $1', [ids.id.bob])

    const blocker = new (client.constructor as typeof pg.Client)({connectionString: db().url})
    await blocker.connect()
    await blocker.query('BEGIN')
    await blocker.query('SELECT 1 FROM teams WHERE organization_id = $1 FOR UPDATE', [north])
    const stopped = await cli(['orgs', 'purge', 'north-high', '--yes', '--batch-size', '100'])
    await blocker.query('ROLLBACK')
    await blocker.end()
    t.is(stopped.code, 6, stopped.stderr)
    t.regex(stopped.stderr, /lock/)
    t.is(
      (
        await client.query(
          'SELECT 1 FROM messages WHERE conversation_id IN (SELECT id FROM conversations WHERE organization_id = $1)',
          [north],
        )
      ).rowCount,
      0,
      'the batches before the lock are done',
    )
    t.is((await client.query('SELECT 1 FROM organizations WHERE id = $1', [north])).rowCount, 1)

    const done = await cli(['orgs', 'purge', 'north-high', '--yes', '--batch-size', '100', '--format', 'json'])
    t.is(done.code, 0, done.stderr)
    t.deepEqual(
      Object.values(
        await references(
          client,
          owned.map((r) => r.id),
        ),
      ).filter((n) => n > 0),
      [],
    )
    t.true(Object.keys(await references(client, [north])).length >= 8)
    t.deepEqual(await orgSums(client, ids.org['south-uni']), south)
    t.is(
      (await client.query('SELECT u::text FROM users u WHERE id = $1', [ids.id.bob])).rows[0].u,
      bob.u,
      'bob (also in south-uni) byte-identical',
    )
    t.is(
      (await client.query('SELECT 1 FROM users WHERE id = $1', [ids.id.ada])).rowCount,
      0,
      'ada (north only) deleted',
    )
    t.is((await client.query('SELECT 1 FROM security_events WHERE user_id = $1', [ids.id.ada])).rowCount, 0)

    const [audit, ...more] = await auditRows(client, 'admin.org.purged')
    t.is(more.length, 0)
    t.is(audit.metadata.rows.messages, 407)
    t.is(audit.metadata.rows.users, 1)
    for (const personal of ['ada@example.org', '"Ada"', ids.id.ada])
      t.false(JSON.stringify(audit).includes(personal), personal)
    t.is((await cli(['orgs', 'purge', 'north-high', '--yes'])).code, 4, 'gone')
  },
)

test.serial(
  'security events (org only in metadata) go in one pass of TID ranges, with a last pass for rows written behind it',
  async (t) => {
    const {pg: client} = db()
    const south = ids.org['south-uni']
    const {
      rows: [east],
    } = await client.query(
      "INSERT INTO organizations (name, slug, type, subscription_status) VALUES ('East', 'east-col', 'college', 'suspended') RETURNING id",
    )
    // The organization's events between other tenants' events, so that every batch has rows to skip.
    await client.query(
      `INSERT INTO security_events (event_type, severity, description, metadata)
    SELECT 'auth.login.failed', 'info', 'x', jsonb_build_object('org_id', CASE WHEN g % 3 = 0 THEN $1 ELSE $2 END) FROM generate_series(1, 300) g`,
      [east.id, south],
    )
    // The purge's own audit row stays (admin.org.purged).
    const count = async (org: string) =>
      (
        await client.query(
          "SELECT count(*)::int AS n FROM security_events WHERE metadata->>'org_id' = $1 AND event_type NOT LIKE 'admin.org.%'",
          [org],
        )
      ).rows[0].n
    const southBefore = await count(south)
    await client.query('ANALYZE security_events')
    // A later batch reads on from where the last one stopped: a TID range scan, not a scan from the start.
    const {rows: plan} = await client.query(
      `EXPLAIN ${query('lifecycle/purge-security_events').statement.replace(/\$1/g, `'${east.id}'`).replace(/\$2/g, '10').replace(/\$3/g, "'(2,0)'")}`,
    )
    t.regex(plan.map((r) => r['QUERY PLAN']).join('\n'), /Tid Range Scan on security_events/)

    // Written while the purge runs, into space freed at the start of the table (behind the pass):
    // the first batch's delete adds one more event of the organization.
    await client.query(`DELETE FROM security_events WHERE ctid < '(1,0)' AND metadata->>'org_id' = '${south}'`)
    await client.query('VACUUM security_events')
    await client.query(`CREATE SEQUENCE late_once;
    CREATE FUNCTION late_event() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN
      IF nextval('late_once') = 1 THEN
        INSERT INTO security_events (event_type, severity, description, metadata) VALUES ('auth.login.failed', 'info', 'late', jsonb_build_object('org_id', '${east.id}'));
      END IF;
      RETURN NULL;
    END$$;
    CREATE TRIGGER late_event AFTER DELETE ON security_events FOR EACH STATEMENT EXECUTE FUNCTION late_event()`)
    t.teardown(() =>
      client.query(
        'DROP TRIGGER IF EXISTS late_event ON security_events; DROP FUNCTION IF EXISTS late_event(); DROP SEQUENCE IF EXISTS late_once',
      ),
    )
    const southLeft = await count(south)
    const batches: number[] = []
    await purgeOrg(await db().session(), 'east-col', {
      batchSize: 7,
      actor: 'ops-test',
      onBatch: (table, total) => {
        if (table === 'security_events') batches.push(total)
      },
    })
    t.is(await count(east.id), 0)
    t.true(southLeft < southBefore)
    t.is(await count(south), southLeft)
    t.is(batches.at(-1), 101, 'the 100 events and the late one')
    t.true(batches.length >= 15, `batches of 7: ${batches.length}`)
  },
)

test.serial('--keep-users keeps the members', async (t) => {
  const r = await cli(['orgs', 'purge', 'west-col', '--yes', '--keep-users'])
  t.is(r.code, 0, r.stderr)
  t.is((await db().pg.query("SELECT 1 FROM users WHERE email = 'dee@example.org'")).rowCount, 1)
  t.is((await db().pg.query("SELECT 1 FROM organizations WHERE slug = 'west-col'")).rowCount, 0)
})
