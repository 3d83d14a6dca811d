import test from 'ava'
import {auditRows, checksum, cliFor, fileDb, fixture, json} from './tenants-fixtures.js'

let ids: Awaited<ReturnType<typeof fixture>>
const getDb = fileDb(test, async (d) => {
  ids = await fixture(d.pg)
  await d.pg.query(
    `UPDATE users SET preferences = '{"notifications": {"email": true, "push": false}, "display": {"theme": "light"}}' WHERE id = $1`,
    [ids.id.ada],
  )
})
const cli = cliFor(getDb)

const prefsOf = async (id: string) =>
  (await getDb().pg.query('SELECT preferences FROM users WHERE id = $1', [id])).rows[0].preferences

test.serial('users preferences shows one line per leaf path, or the object as JSON', async (t) => {
  const [csv, doc] = await Promise.all([
    cli(['users', 'preferences', 'ada@example.org', '--format', 'csv']),
    cli(['users', 'preferences', ids.id.ada, '--json']),
  ])
  t.is(csv.code, 0, csv.stderr)
  t.is(csv.stdout, 'path,value\nnotifications.email,true\nnotifications.push,false\ndisplay.theme,light\n')
  t.deepEqual(json(doc.stdout), {notifications: {email: true, push: false}, display: {theme: 'light'}})
})

test.serial(
  '--set and --unset change documented paths in one audited transaction; --dry-run writes nothing',
  async (t) => {
    const before = await checksum(getDb().pg)
    const dry = await cli([
      'users',
      'preferences',
      'ada@example.org',
      '--set',
      'notifications.email=false',
      '--dry-run',
      '--json',
    ])
    t.is(dry.code, 0, dry.stderr)
    t.like(json(dry.stdout)[0], {field: 'notifications.email', before: true, after: false})
    t.deepEqual(await checksum(getDb().pg), before)

    const run = await cli([
      'users',
      'preferences',
      'ada@example.org',
      '--set',
      'notifications.email=false',
      '--set',
      'display.theme=dark',
      '--set',
      'display.compactMode=true',
      '--unset',
      'notifications.push',
      '--set',
      'notifications.mentions=true',
      '--json',
    ])
    t.is(run.code, 0, run.stderr)
    t.deepEqual(await prefsOf(ids.id.ada), {
      notifications: {email: false, mentions: true},
      display: {theme: 'dark', compactMode: true},
    })
    const [audit] = (await auditRows(getDb().pg, 'admin.user.preferences_updated')).filter((r) => !r.metadata.dry_run)
    t.is(audit.user_id, ids.id.ada)
    t.deepEqual(audit.metadata.changes, [
      {path: 'notifications.email', before: true, after: false},
      {path: 'display.theme', before: 'light', after: 'dark'},
      {path: 'display.compactMode', before: null, after: true},
      {path: 'notifications.mentions', before: null, after: true},
      {path: 'notifications.push', before: false, after: null},
    ])
    t.false(JSON.stringify(audit).includes('ada@example.org'), 'the audit row names the user by id only')
  },
)

test.serial('a parent that is not an object is replaced by one; missing parents are created', async (t) => {
  await getDb().pg.query(`UPDATE users SET preferences = '{"notifications": "all"}' WHERE id = $1`, [ids.id.bob])
  await getDb().pg.query(`UPDATE users SET preferences = NULL WHERE id = $1`, [ids.id.cy])
  const [bob, cy] = await Promise.all([
    cli(['users', 'preferences', 'bob@example.org', '--set', 'notifications.push=true']),
    cli(['users', 'preferences', 'cy@example.org', '--set', 'display.theme=dark']),
  ])
  t.is(bob.code, 0, bob.stderr)
  t.is(cy.code, 0, cy.stderr)
  t.deepEqual(await prefsOf(ids.id.bob), {notifications: {push: true}})
  t.deepEqual(await prefsOf(ids.id.cy), {display: {theme: 'dark'}})
})

test.serial('an unknown path or a wrong type is exit 2 naming what is allowed, and nothing is written', async (t) => {
  const before = await checksum(getDb().pg)
  const results = await Promise.all([
    cli(['users', 'preferences', 'ada@example.org', '--set', 'notifications.sms=true']),
    cli(['users', 'preferences', 'ada@example.org', '--set', 'notifications.email=yes']),
    cli(['users', 'preferences', 'ada@example.org', '--set', 'display.theme=purple']),
    cli(['users', 'preferences', 'ada@example.org', '--set', 'display.theme']),
    cli(['users', 'preferences', 'ada@example.org', '--unset', 'display']),
  ])
  for (const r of results) {
    t.is(r.code, 2, r.stderr)
    t.regex(r.stderr, /^Error: .+\nHint: .*(documented paths: notifications\.email \(boolean\)|--set notifications)/)
  }
  t.regex(results[2].stderr, /expected one of light, dark/)
  t.deepEqual(await checksum(getDb().pg), before)
})

test.serial('health app counts preferences, file metadata and timezones off the documented shape', async (t) => {
  const db = getDb().pg
  const good = await cli(['health', 'app', '--json'])
  const state = (r: typeof good, name: string) => json(r.stdout).find((c: {check: string}) => c.check === name)
  t.like(state(good, 'app_preferences_shape'), {state: 'OK', value: 0})
  t.like(state(good, 'app_file_metadata_shape'), {state: 'OK', value: 0})
  t.like(state(good, 'app_unknown_timezones'), {state: 'OK', value: 0})

  await db.query(`INSERT INTO users (email, name, user_type, preferences, timezone) VALUES
    ('s1@example.org', 'S1', 'client', '{"notifications": {"email": "yes"}}', 'Europe/Paris'),
    ('s2@example.org', 'S2', 'client', '"dark"', 'Mars/Olympus_Mons'),
    ('s3@example.org', 'S3', 'client', '{"display": {"theme": "purple", "compactMode": false}, "notifications": []}', 'UTC'),
    ('s4@example.org', 'S4', 'client', '{"display": {"theme": "dark"}, "extra": 1}', 'Asia/Tokyo')`)
  const files = (meta: string[]) =>
    meta.map((m, i) => `('f${i}', 'f${i}.png', 'p/${i}', 'https://x/${i}', 'image/png', 10, $1, $2, '${m}')`).join(', ')
  await db.query(
    `INSERT INTO files (name, original_name, file_path, file_url, mime_type, file_size, organization_id, uploaded_by, metadata) VALUES ${files(
      [
        '{"dimensions": {"width": 1920, "height": 1080}, "colorProfile": "sRGB", "dpi": 300, "layers": 12}',
        '{"dpi": -1}',
        '{"dimensions": {"width": 10}}',
        '{"layers": 1.5, "colorProfile": 7}',
        '{}',
      ],
    )}`,
    [ids.org['north-high'], ids.id.ada],
  )
  const bad = await cli(['health', 'app', '--json'])
  t.is(bad.code, 1, bad.stderr)
  const prefs = state(bad, 'app_preferences_shape')
  t.like(prefs, {state: 'WARNING', value: 3})
  t.regex(prefs.detail, /s1@example\.org \(notifications\.email is "yes"\)/)
  t.regex(prefs.detail, /s2@example\.org \(not an object\)/)
  t.regex(prefs.detail, /s3@example\.org \(display\.theme is "purple"; notifications is not an object\)/)
  const meta = state(bad, 'app_file_metadata_shape')
  t.like(meta, {state: 'WARNING', value: 3})
  t.like(state(bad, 'app_unknown_timezones'), {state: 'WARNING', value: 1})
  t.regex(state(bad, 'app_unknown_timezones').detail, /s2@example\.org \(Mars\/Olympus_Mons\)/)
  await db.query("DELETE FROM users WHERE email LIKE 's_@example.org'")
})

test.serial('files list: documented metadata as columns, --missing, --mime, keyset pages', async (t) => {
  const db = getDb().pg
  await db.query(
    `INSERT INTO files (name, original_name, file_path, file_url, mime_type, file_size, organization_id, uploaded_by, metadata, created_at)
    SELECT 'g' || g, 'g' || g, 'p', 'u', CASE WHEN g % 2 = 0 THEN 'image/jpeg' ELSE 'application/pdf' END, g, $1, $2,
           CASE WHEN g % 3 = 0 THEN '{"dpi": 72}'::jsonb ELSE '{"dimensions": {"width": 800, "height": 600}, "dpi": 72}' END,
           timestamptz '2026-01-01' + g * interval '1 hour'
    FROM generate_series(1, 12) g`,
    [ids.org['south-uni'], ids.id.bob],
  )
  const all = await cli(['files', 'list', '--org', 'south-uni', '--json'])
  t.is(all.code, 0, all.stderr)
  const rows = json(all.stdout)
  t.deepEqual(
    rows.map((r: {name: string}) => r.name),
    Array.from({length: 12}, (_, i) => `g${12 - i}`),
  )
  t.like(
    rows.find((r: {name: string}) => r.name === 'g4'),
    {
      mime_type: 'image/jpeg',
      size: 4,
      version: 1,
      is_latest: true,
      width: 800,
      height: 600,
      dpi: 72,
      color_profile: null,
    },
  )

  const missing = await cli([
    'files',
    'list',
    '--org',
    'south-uni',
    '--missing',
    'dimensions',
    '--mime',
    'image/%',
    '--json',
  ])
  t.deepEqual(
    json(missing.stdout).map((r: {name: string}) => r.name),
    ['g12', 'g6'],
  )

  const seen: string[] = []
  let after: string | undefined
  for (let pages = 0; pages < 10; pages++) {
    const page = await cli([
      'files',
      'list',
      '--org',
      'south-uni',
      '--limit',
      '5',
      '--format',
      'csv',
      '--no-header',
      ...(after ? ['--after', after] : []),
    ])
    t.is(page.code, 0, page.stderr)
    seen.push(
      ...page.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(',')[0]),
    )
    after = /next page: --cursor (\S+)/.exec(page.stderr)?.[1]
    if (!after) break
  }
  t.deepEqual(
    seen,
    rows.map((r: {name: string}) => r.name),
  )

  const wrong = await Promise.all([
    cli(['files', 'list', '--org', 'south-uni', '--missing', 'thumbnail']),
    cli(['files', 'list', '--org', 'south-uni', '--after', 'bm90LWEtY3Vyc29y']),
  ])
  t.deepEqual(
    wrong.map((r) => r.code),
    [2, 2],
  )
  t.regex(wrong[0].stderr, /use one of dimensions, colorProfile, dpi, layers/)
})
