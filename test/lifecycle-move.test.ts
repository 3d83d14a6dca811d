import {spawn} from 'node:child_process'
import {fileURLToPath} from 'node:url'
import test from 'ava'
import {freshDb} from './helpers/db.js'
import {lifecycleFixture, orgSums} from './lifecycle-fixtures.js'
import {auditRows, checksum, cliFor, fileDb} from './tenants-fixtures.js'

let ids: Awaited<ReturnType<typeof lifecycleFixture>>
const db = fileDb(test, async (d) => {
  ids = await lifecycleFixture(d.pg)
  await d.pg.query("UPDATE organizations SET subscription_status = 'suspended' WHERE slug = 'north-high'")
})
const cli = cliFor(db)

test.serial('an active organization is not moved (exit 2)', async (t) => {
  const target = await freshDb(t)
  const r = await cli(['orgs', 'move', 'south-uni', '--to', target.url, '--yes'])
  t.is(r.code, 2, r.stderr)
  t.regex(r.stderr, /south-uni is active: suspend it before moving it/)
})

test.serial('killed during the import: the target has nothing, the source is untouched', async (t) => {
  const target = await freshDb(t)
  const before = await checksum(db().pg)
  const empty = await checksum(target.pg)
  // The import's last COPY waits for this lock; the process is killed while it waits.
  await target.pg.query('BEGIN')
  await target.pg.query('LOCK TABLE security_events IN SHARE MODE')
  const child = spawn(
    process.execPath,
    [
      fileURLToPath(new URL('../bin/run.js', import.meta.url)),
      'orgs',
      'move',
      'north-high',
      '--to',
      target.url,
      '--yes',
      '--db-url',
      db().url,
    ],
    {stdio: 'ignore'},
  )
  const exited = new Promise((resolve) => child.on('exit', resolve))
  const waiting = async () =>
    (
      await db().pg.query(
        `SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND application_name = 'fluxadmin' AND wait_event_type = 'Lock'`,
        [target.name],
      )
    ).rowCount
  let sawWait = false
  for (let i = 0; i < 600 && child.exitCode === null && !(sawWait = Boolean(await waiting())); i++)
    await new Promise((r) => setTimeout(r, 50))
  child.kill('SIGKILL')
  t.true(sawWait, 'killed while the import waited for the lock')
  await exited
  await target.pg.query('ROLLBACK')
  for (
    let i = 0;
    i < 200 &&
    (await (async () =>
      (
        await db().pg.query("SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND application_name = 'fluxadmin'", [
          target.name,
        ])
      ).rowCount)());
    i++
  ) {
    await new Promise((r) => setTimeout(r, 50))
  }
  t.deepEqual(await checksum(target.pg), empty)
  t.deepEqual(await checksum(db().pg), before)
})

test.serial(
  '--dry-run copies and verifies on the target, then rolls back; a target that changes the rows fails the verification, nothing kept',
  async (t) => {
    const target = await freshDb(t)
    const empty = await checksum(target.pg)
    const dry = await cli(['orgs', 'move', 'north-high', '--to', target.url, '--dry-run'])
    t.is(dry.code, 0, dry.stderr)
    t.regex(dry.stderr, /dry run: copied and verified on the target, rolled back/)
    t.deepEqual(await checksum(target.pg), empty)
    await target.pg.query(
      `CREATE FUNCTION shout() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.content := upper(NEW.content); RETURN NEW; END $$`,
    )
    await target.pg.query('CREATE TRIGGER shout BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION shout()')
    const changed = await cli(['orgs', 'move', 'north-high', '--to', target.url, '--delete-source', '--yes'])
    t.is(changed.code, 5, changed.stderr)
    t.regex(changed.stderr, /verification failed for messages/)
    t.deepEqual(await checksum(target.pg), empty)
    t.is(
      (await db().pg.query("SELECT 1 FROM organizations WHERE slug = 'north-high'")).rowCount,
      1,
      'the source is not purged',
    )
  },
)

test.serial(
  'move without --delete-source: identical on the target, kept on the source, one move id on both sides',
  async (t) => {
    const target = await freshDb(t)
    const r = await cli(['orgs', 'move', 'north-high', '--to', target.url, '--yes', '--format', 'json'])
    t.is(r.code, 0, r.stderr)
    t.deepEqual(await orgSums(target.pg, ids.org['north-high']), await orgSums(db().pg, ids.org['north-high']))
    const [moved] = await auditRows(db().pg, 'admin.org.moved')
    const [imported] = await auditRows(target.pg, 'admin.org.imported')
    t.truthy(moved.metadata.move_id)
    t.is(moved.metadata.move_id, imported.metadata.move_id)
    t.is(moved.metadata.to_database, target.name)
    t.false(JSON.stringify(moved).includes('test-secret-pw'), 'no connection string in the audit row')
    t.is((await db().pg.query("SELECT 1 FROM organizations WHERE slug = 'north-high'")).rowCount, 1)
  },
)

test.serial('move --delete-source: verified on the target, then purged from the source', async (t) => {
  const target = await freshDb(t)
  const sums = await orgSums(db().pg, ids.org['north-high'])
  const south = await orgSums(db().pg, ids.org['south-uni'])
  const r = await cli(['orgs', 'move', 'north-high', '--to', target.url, '--delete-source', '--yes'])
  t.is(r.code, 0, r.stderr)
  t.regex(r.stderr, /moved and verified \(move [0-9a-f-]{36}\); source purged/)
  t.deepEqual(await orgSums(target.pg, ids.org['north-high']), sums)
  t.is((await db().pg.query("SELECT 1 FROM organizations WHERE slug = 'north-high'")).rowCount, 0)
  t.deepEqual(await orgSums(db().pg, ids.org['south-uni']), south)
  const [purged] = await auditRows(db().pg, 'admin.org.purged')
  const [imported] = await auditRows(target.pg, 'admin.org.imported')
  t.is(purged.metadata.move_id, imported.metadata.move_id)
})
