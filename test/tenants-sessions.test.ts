import test from 'ava'
import {auditRows, checksum, cliFor, fileDb, fixture, json} from './tenants-fixtures.js'

let ids: Awaited<ReturnType<typeof fixture>>
const getDb = fileDb(test, async (d) => {
  ids = await fixture(d.pg)
})
const run = cliFor(getDb)
const cli = (...args: string[]) => run(args)

test.serial('sessions list shows only active tokens, per user and per org', async (t) => {
  const [user, org, all, bad] = await Promise.all([
    cli('sessions', 'list', '--user', 'ada@example.org', '--json'),
    cli('sessions', 'list', '--org', 'south-uni', '--json'),
    cli('sessions', 'list', '--format', 'csv'),
    cli('sessions', 'list', '--user', 'ghost@example.org'),
  ])
  t.is(user.code, 0, user.stderr)
  t.deepEqual(
    json(user.stdout).map((s: {ip_address: string; device_info: unknown}) => [s.ip_address, s.device_info]),
    [['10.0.0.1', {ua: 'firefox'}]],
  )
  t.deepEqual(
    json(org.stdout).map((s: {email: string}) => s.email),
    ['bob@example.org'],
  )
  t.is(all.stdout.trim().split('\n').length, 4)
  t.is(bad.code, 4)
})

test.serial('sessions revoke: one by id, all of an org (needs --yes); bad id is 2, unknown id 4', async (t) => {
  const db = getDb()
  const {
    rows: [tok],
  } = await db.pg.query("SELECT id FROM refresh_tokens WHERE token_hash = 'h5'")
  const [one, badId, unknown, noYes] = await Promise.all([
    cli('sessions', 'revoke', '--id', tok.id, '--json'),
    cli('sessions', 'revoke', '--id', 'nope'),
    cli('sessions', 'revoke', '--id', '00000000-0000-4000-8000-000000000000'),
    cli('sessions', 'revoke', '--org', 'north-high'),
  ])
  t.is(one.code, 0, one.stderr)
  t.deepEqual(
    json(one.stdout).map((c: {id: string}) => c.id),
    [tok.id],
  )
  t.deepEqual([badId.code, unknown.code, noYes.code], [2, 4, 2])
  const org = await cli('sessions', 'revoke', '--org', 'north-high', '--yes', '--json')
  t.deepEqual(
    json(org.stdout)
      .map((c: {name: string}) => c.name)
      .sort(),
    ['ada@example.org', 'ada@example.org', 'bob@example.org'],
  )
  const audit = await auditRows(db.pg, 'admin.sessions.revoked')
  t.is(audit.length, 2)
  t.is(audit[1].metadata.org_id, ids.org['north-high'])
})

test.serial('sessions purge deletes old expired/revoked tokens in batches; dry run changes nothing', async (t) => {
  const db = getDb()
  await db.pg.query(
    `INSERT INTO refresh_tokens (user_id, token_hash, expires_at, revoked_at)
    SELECT $1, 'old' || g, now() - interval '90 days', NULL FROM generate_series(1, 25) g`,
    [ids.id.cy],
  )
  const before = await checksum(db.pg)
  const dry = await cli('sessions', 'purge', '--older-than', '30d', '--batch-size', '10', '--dry-run', '--json')
  t.is(dry.code, 0, dry.stderr)
  // 25 old expired + h2 (expired 40 days ago) + h3 (revoked 35 days ago) = 27
  t.like(json(dry.stdout)[0], {deleted: 27, dry_run: true})
  t.deepEqual(await checksum(db.pg), before)
  const real = await cli('sessions', 'purge', '--older-than', '30d', '--batch-size', '10', '--json')
  t.like(json(real.stdout)[0], {deleted: 27, batches: 3, dry_run: false})
  const {
    rows: [n],
  } = await db.pg.query("SELECT count(*)::int AS n FROM refresh_tokens WHERE expires_at < now() - interval '30 days'")
  t.is(n.n, 0)
  const [audit] = await auditRows(db.pg, 'admin.sessions.purged')
  t.like(audit.metadata, {deleted: 27, batches: 3, actor: 'ops-test'})
  t.is((await cli('sessions', 'purge', '--older-than', 'soon')).code, 2)
})

test.serial('audit list filters, pages with a keyset cursor; export streams everything', async (t) => {
  const db = getDb()
  await db.pg.query(
    `INSERT INTO security_events (user_id, event_type, severity, description, metadata, created_at)
    SELECT $1, CASE WHEN g % 2 = 0 THEN 'admin.org.updated' ELSE 'login.failed' END, CASE WHEN g % 5 = 0 THEN 'critical' ELSE 'info' END,
           'e' || g, jsonb_build_object('org_id', $2::text, 'actor', 'seed'), timestamptz '2026-01-01' + g * interval '1 hour'
    FROM generate_series(1, 30) g`,
    [ids.id.bob, ids.org['south-uni']],
  )
  const [p1, crit, bySince, badSince] = await Promise.all([
    cli('audit', 'list', '--org', 'south-uni', '--type', 'admin.org.*', '--limit', '10', '--json'),
    cli('audit', 'list', '--severity', 'critical', '--user', 'bob@example.org', '--until', '2026-02-01', '--json'),
    cli('audit', 'list', '--since', '2026-01-02T00:00:00Z', '--until', '2026-01-02T03:00:00Z', '--format', 'csv'),
    cli('audit', 'list', '--since', 'yesterday'),
  ])
  t.is(p1.code, 0, p1.stderr)
  const first = json(p1.stdout)
  t.deepEqual(
    first.map((e: {description: string}) => e.description),
    ['e30', 'e28', 'e26', 'e24', 'e22', 'e20', 'e18', 'e16', 'e14', 'e12'],
  )
  const cursor = /--cursor (\S+)/.exec(p1.stderr)![1]
  const p2 = await cli(
    'audit',
    'list',
    '--org',
    'south-uni',
    '--type',
    'admin.org.*',
    '--limit',
    '10',
    '--cursor',
    cursor,
    '--json',
  )
  t.deepEqual(
    json(p2.stdout).map((e: {description: string}) => e.description),
    ['e10', 'e8', 'e6', 'e4', 'e2'],
  )
  t.notRegex(p2.stderr, /--cursor/)
  t.deepEqual(
    json(crit.stdout).map((e: {description: string}) => e.description),
    ['e30', 'e25', 'e20', 'e15', 'e10', 'e5'],
  )
  t.is(bySince.stdout.trim().split('\n').length, 1 + 3)
  t.is(badSince.code, 2)
  const out = await cli('audit', 'export', '--org', 'south-uni', '--format', 'ndjson')
  const lines = out.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
  t.is(lines.length, 30)
  t.is(lines[0].description, 'e30')
  t.is(lines[29].actor, 'seed')
})

test.serial(
  'audit list pages through events without a created_at too, with the shared cursor and its hint',
  async (t) => {
    const db = getDb()
    await db.pg.query(`INSERT INTO security_events (event_type, severity, description, created_at)
    SELECT 'cursor.check', 'info', 'c' || g, CASE WHEN g > 3 THEN timestamptz '2026-03-01' + g * interval '1 microsecond' END
    FROM generate_series(1, 7) g`)
    const seen: string[] = []
    let cursor: string[] = []
    for (let pages = 1; ; pages++) {
      const page = await cli('audit', 'list', '--type', 'cursor.check', '--limit', '2', '--json', ...cursor)
      t.is(page.code, 0, page.stderr)
      const rows = json(page.stdout)
      t.false('created_us' in rows[0])
      seen.push(...rows.map((e: {description: string}) => e.description))
      const next = /^fluxadmin: next page: --cursor (\S+)\n$/.exec(page.stderr)
      if (!next) break
      cursor = ['--cursor', next[1]]
      t.true(pages < 5)
    }
    // Events without a time come first (created_at DESC), then the newest; each exactly once.
    t.deepEqual(seen.slice(3), ['c7', 'c6', 'c5', 'c4'])
    t.deepEqual(seen.slice(0, 3).sort(), ['c1', 'c2', 'c3'])
    const old = await cli(
      'audit',
      'list',
      '--cursor',
      Buffer.from('2026-01-01 00:00:00+00|00000000-0000-4000-8000-000000000000').toString('base64url'),
    )
    t.is(old.code, 2)
    t.regex(old.stderr, /^Error: invalid --cursor\n/)
  },
)
