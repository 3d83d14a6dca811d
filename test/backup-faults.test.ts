import {createHash, randomBytes} from 'node:crypto'
import {readFileSync, truncateSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import test from 'ava'
import pg from 'pg'
import {createBackup} from '../src/backup/create.js'
import {runCli} from './helpers/cli.js'
import {adminUrl, createDb, dropDb, freshDb} from './helpers/db.js'
import {databaseExists, editManifest, verifyCli, parseJson, smallFixture, tempDir} from './backup-fixtures.js'

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')
const resync = (file: string) =>
  editManifest(file, (m) => {
    m.sha256 = sha(file)
    m.size_bytes = readFileSync(file).length
  })

/** One good backup per test; each fault test corrupts its own copy. */
async function backup(t: Parameters<Parameters<typeof test>[1]>[0]) {
  const db = await freshDb(t)
  await smallFixture(db)
  const dir = tempDir(t)
  const {file} = await createBackup(await db.session(), {dir})
  return {db, dir, file}
}

async function expectFailure(
  t: Parameters<Parameters<typeof test>[1]>[0],
  url: string,
  file: string,
  step: string,
  reason: RegExp,
  extra: string[] = [],
) {
  const result = await verifyCli([file, '--db-url', url, '--format', 'json', ...extra])
  t.is(result.code, 2, result.stderr + result.stdout)
  const lines = result.stderr.trim().split('\n')
  t.is(lines.length, 1, result.stderr)
  t.regex(lines[0], new RegExp(`^fluxadmin: backup verify failed at step \\d \\(${step}\\): `))
  t.regex(lines[0], reason)
  const steps = parseJson(result)
  t.is(steps.find((s: {status: string}) => s.status === 'fail').name, step)
  t.is(steps.at(-1).name, 'cleanup')
  t.not(steps.at(-1).status, 'fail')
  t.false(await databaseExists(result.scratch), 'scratch database dropped')
  return steps
}

test('a file of random bytes fails at the archive step', async (t) => {
  const {db, file} = await backup(t)
  writeFileSync(file, randomBytes(4096))
  resync(file)
  await expectFailure(t, db.url, file, 'archive', /does not appear to be a valid archive/)
})

test('one flipped byte fails the checksum', async (t) => {
  const {db, file} = await backup(t)
  const bytes = readFileSync(file)
  bytes[Math.floor(bytes.length / 2)] ^= 0xff
  writeFileSync(file, bytes)
  await expectFailure(t, db.url, file, 'checksum', /sha256 is [0-9a-f]{12}\.\.\., the manifest says/)
})

test('a truncated dump fails (archive or restore), also when the manifest was rewritten to match', async (t) => {
  const {db, file} = await backup(t)
  truncateSync(file, Math.floor(readFileSync(file).length * 0.7))
  await expectFailure(t, db.url, file, 'checksum', /size is \d+ bytes, the manifest says/)
  resync(file)
  const result = await verifyCli([file, '--db-url', db.url, '--format', 'json'])
  t.is(result.code, 2)
  t.regex(result.stderr, /^fluxadmin: backup verify failed at step [23] \((archive|restore)\): .*\n$/)
  t.false(await databaseExists(result.scratch))
  const {
    rows: [audit],
  } = await db.pg.query(
    "SELECT severity, metadata FROM security_events WHERE event_type = 'admin.backup.verified' ORDER BY created_at DESC LIMIT 1",
  )
  t.is(audit.severity, 'critical')
  t.regex(audit.metadata.failed_step, /archive|restore/)
  const list = parseJson(await runCli(['backup', 'list', '--dir', join(file, '..'), '--format', 'json']))
  t.like(list[0], {verified: 'failed'})
})

test('a dump of a different database fails the schema step, naming the missing tables', async (t) => {
  const {db, dir, file} = await backup(t)
  const other = await freshDb(t, {migrated: false})
  await other.pg.query('CREATE TABLE widgets (id int PRIMARY KEY); INSERT INTO widgets VALUES (1)')
  const made = await runCli([
    'backup',
    'create',
    '--db-url',
    other.url,
    '--dir',
    join(dir, 'other'),
    '--format',
    'json',
  ])
  t.is(made.code, 0, made.stderr)
  const otherFile = parseJson(made)[0].file
  // Its own manifest records no contract; with the good backup's manifest the tables are missing.
  await expectFailure(t, db.url, otherFile, 'schema', /no schema objects/)
  writeFileSync(file, readFileSync(otherFile))
  resync(file)
  await expectFailure(
    t,
    db.url,
    file,
    'schema',
    /restored schema differs from the contract: \d+ missing: table conversation_participants, table conversations, /,
  )
})

test('rows that differ from the manifest fail the row_counts step, naming the table and the organization', async (t) => {
  const {db, file} = await backup(t)
  const {
    rows: [acme],
  } = await db.pg.query("SELECT id::text FROM organizations WHERE slug = 'acme'")
  editManifest(file, (m) => {
    m.tables.users = 4
    m.organizations.teams[acme.id] = 5
  })
  await expectFailure(
    t,
    db.url,
    file,
    'row_counts',
    /users: 3 rows, manifest 4.*teams of organization acme: 2 rows, manifest 5/,
  )
})

test('a scratch database name that already exists: could not run (3), left alone, the recorded verdict unchanged', async (t) => {
  const {db, file} = await backup(t)
  const good = await verifyCli([file, '--db-url', db.url, '--format', 'json'])
  t.is(good.code, 0, good.stderr)
  const verdict = readFileSync(`${file}.verify.json`, 'utf8')
  const audits = async () =>
    (await db.pg.query("SELECT count(*)::int AS n FROM security_events WHERE event_type = 'admin.backup.verified'"))
      .rows[0].n
  const audited = await audits()
  const name = `fluxadmin_verify_taken_${randomBytes(3).toString('hex')}`
  await createDb(name, null)
  t.teardown(() => dropDb(name))
  const result = await runCli(['backup', 'verify', file, '--db-url', db.url, '--format', 'json'], {
    env: {FLUXADMIN_VERIFY_SCRATCH_NAME: name},
    timeoutMs: 150_000,
  })
  t.is(result.code, 3, result.stderr)
  t.regex(
    result.stderr,
    new RegExp(
      `^Error: scratch database ${name} already exists on 127\\.0\\.0\\.1:\\d+\nHint: another verify may be running; it was left alone, and nothing was verified\n$`,
    ),
  )
  t.true(await databaseExists(name), 'the existing database was left alone')
  t.is(readFileSync(`${file}.verify.json`, 'utf8'), verdict, 'the good verdict stays')
  t.is(await audits(), audited, 'nothing audited')
  t.like(parseJson(await runCli(['backup', 'list', '--dir', join(file, '..'), '--format', 'json']))[0], {
    verified: 'yes',
  })
})

test('the server ending the restore mid-way fails the restore step and the scratch database is dropped', async (t) => {
  const {db, dir} = await backup(t)
  // Enough data that the restore takes a moment.
  await db.pg.query(`INSERT INTO security_events (event_type, severity, description, metadata)
    SELECT 'test.event', 'info', repeat(md5(g::text), 20), jsonb_build_object('n', g) FROM generate_series(1, 150000) g`)
  const {file} = await createBackup(await db.session(), {dir: join(dir, 'big')})
  const killer = new pg.Client({connectionString: adminUrl()})
  await killer.connect()
  t.teardown(() => killer.end())
  // Other tests restore at the same time: end only this run's restore, by its forced scratch name.
  const name = `fluxadmin_verify_kill_${randomBytes(3).toString('hex')}`
  const verify = runCli(['backup', 'verify', file, '--db-url', db.url, '--format', 'json', '--jobs', '1'], {
    env: {FLUXADMIN_VERIFY_SCRATCH_NAME: name},
    timeoutMs: 150_000,
  })
  let killed = 0
  for (let i = 0; i < 3000 && killed === 0; i++) {
    const {rows} = await killer.query(
      "SELECT count(*)::int AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'fluxadmin_verify_restore' AND datname = $1) x",
      [name],
    )
    killed = rows[0].n
    if (!killed) await new Promise((r) => setTimeout(r, 10))
  }
  t.true(killed > 0, 'caught the restore in flight')
  const result = await verify
  t.is(result.code, 2, result.stderr)
  t.regex(
    result.stderr,
    /^fluxadmin: backup verify failed at step 3 \(restore\): pg_restore into fluxadmin_verify_kill_\w+: .*(terminating connection due to administrator command|server closed the connection unexpectedly)/,
  )
  t.false(await databaseExists(name))
})

test('migrations that differ from the manifest fail the schema step', async (t) => {
  const {db, file} = await backup(t)
  editManifest(file, (m) => {
    m.migrations.push({version: '999', name: 'future', checksum: 'x'})
  })
  await expectFailure(
    t,
    db.url,
    file,
    'schema',
    /restored migrations \(001,[^)]*\) differ from the manifest's \(001,[^)]*,999\)/,
  )
})
