// Ctrl-C and kill: the server's work stops with the process; a killed backup verify is cleaned up by the next one (issue 13, item 17).
import type {ChildProcess} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import test from 'ava'
import pg from 'pg'
import {createBackup} from '../src/backup/create.js'
import {databaseExists, restoresInto, tempDir} from './backup-fixtures.js'
import {runCli, startCli, until} from './helpers/cli.js'
import {freshDb} from './helpers/db.js'
import {fixture} from './tenants-fixtures.js'

const backendAlive = async (client: pg.Client, pid: number) =>
  (await client.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount === 1

async function sleepingBackend(client: pg.Client, database: string, proc: ChildProcess): Promise<number | undefined> {
  let pid: number | undefined
  await until(async () => {
    if (proc.exitCode !== null) return true
    pid = (
      await client.query(
        "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'fluxadmin' AND wait_event = 'PgSleep'",
        [database],
      )
    ).rows[0]?.pid
    return pid !== undefined
  }, 60_000)
  return pid
}

test('SIGINT of onboard cancels its statement: the backend ends, its locks go, and an immediate rerun works', async (t) => {
  const db = await freshDb(t)
  await fixture(db.pg)
  // The first insert into users sleeps (a sequence is not rolled back: only once), holding onboard's locks.
  await db.pg.query(`CREATE SEQUENCE slow_once;
    CREATE FUNCTION slow_insert() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN IF nextval('slow_once') = 1 THEN PERFORM pg_sleep(25); END IF; RETURN NEW; END$$;
    CREATE TRIGGER slow_insert BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION slow_insert()`)
  const dir = mkdtempSync(join(tmpdir(), 'interrupt-onboard-'))
  t.teardown(() => rmSync(dir, {recursive: true, force: true}))
  const file = join(dir, 'people.csv')
  writeFileSync(
    file,
    'email,name,user_type,role,team\nint1@example.org,Int One,client,member,brass\nint2@example.org,Int Two,designer,member,\n',
  )
  const run = startCli(['onboard', file, '--org', 'north-high', '--db-url', db.url])
  const pid = await sleepingBackend(db.pg, db.name, run.child)
  t.truthy(pid, `onboard reached the slow insert: ${run.stderr()}`)
  run.child.kill('SIGINT')
  t.is(await run.exited, 130, run.stderr())
  t.regex(run.stderr(), /^interrupted \(SIGINT\): the statement running on the server was cancelled\n$/)
  // Without the cancel the backend would sleep on for 25 s, holding the rows and locks of its insert.
  t.true(await until(async () => !(await backendAlive(db.pg, pid!)), 15_000), 'the backend ended')
  t.is((await db.pg.query('SELECT count(*)::int AS n FROM pg_locks WHERE pid = $1', [pid])).rows[0].n, 0)
  const rerun = await runCli(['onboard', file, '--org', 'north-high', '--db-url', db.url, '--json'])
  t.is(rerun.code, 0, rerun.stderr)
  t.like(JSON.parse(rerun.stdout)[0], {created: 2})
})

test('SIGTERM of a command running a long statement cancels it on the server and exits 143', async (t) => {
  const db = await freshDb(t)
  await db.pg.query('SELECT pg_sleep($1)', [0])
  const {
    rows: [{queryid}],
  } = await db.pg.query(
    "SELECT s.queryid::text FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1 AND s.query = 'SELECT pg_sleep($1)'",
    [db.name],
  )
  const run = startCli([
    'stats',
    'explain',
    queryid,
    '--params',
    '25',
    '--analyze',
    '--statement-timeout',
    '1min',
    '--db-url',
    db.url,
  ])
  const pid = await sleepingBackend(db.pg, db.name, run.child)
  t.truthy(pid, run.stderr())
  run.child.kill('SIGTERM')
  t.is(await run.exited, 143, run.stderr())
  t.notRegex(run.stderr(), /statement cancelled|\n\s+at /)
  t.true(await until(async () => !(await backendAlive(db.pg, pid!)), 15_000), 'the backend ended')
})

test('SIGKILL of the client: the server sees the connection gone and ends the statement instead of running on', async (t) => {
  const db = await freshDb(t)
  await db.pg.query('SELECT pg_sleep($1)', [0])
  const {
    rows: [{queryid}],
  } = await db.pg.query(
    "SELECT s.queryid::text FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1 AND s.query = 'SELECT pg_sleep($1)'",
    [db.name],
  )
  const run = startCli([
    'stats',
    'explain',
    queryid,
    '--params',
    '40',
    '--analyze',
    '--statement-timeout',
    '1min',
    '--db-url',
    db.url,
  ])
  const pid = await sleepingBackend(db.pg, db.name, run.child)
  t.truthy(pid, run.stderr())
  run.child.kill('SIGKILL')
  await run.exited
  // Without client_connection_check_interval the backend sleeps its 40 s to the end.
  t.true(await until(async () => !(await backendAlive(db.pg, pid!)), 15_000), 'the backend ended')
})

test('SIGTERM of backup create stops its pg_dump and leaves no partial dump, then exits 143', async (t) => {
  const db = await freshDb(t)
  await fixture(db.pg)
  // pg_dump waits for its lock on a table outside public (which fluxadmin's counts do not read) as long as the test holds it.
  await db.pg.query('CREATE SCHEMA side; CREATE TABLE side.held (id int)')
  const holder = new pg.Client({connectionString: db.url})
  await holder.connect()
  t.teardown(() => holder.end())
  await holder.query('BEGIN; LOCK TABLE side.held IN ACCESS EXCLUSIVE MODE')
  const dir = tempDir(t)
  const run = startCli(['backup', 'create', '--dir', dir, '--db-url', db.url])
  const dumping = () =>
    db.pg.query("SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'fluxadmin_backup'", [
      db.name,
    ])
  const waiting = await until(
    async () =>
      run.child.exitCode !== null ||
      (
        await db.pg.query(
          "SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND application_name = 'fluxadmin_backup' AND wait_event_type = 'Lock'",
          [db.name],
        )
      ).rowCount === 1,
    60_000,
  )
  t.true(waiting && run.child.exitCode === null, `pg_dump waits on the lock: ${run.stderr()}`)
  run.child.kill('SIGTERM')
  t.is(await run.exited, 143, run.stderr())
  // Without forwarding, pg_dump would wait on, then write the dump after the test lets go of the lock.
  t.true(await until(async () => (await dumping()).rowCount === 0, 5_000), "pg_dump's connection is gone")
  await holder.query('ROLLBACK')
  await new Promise((r) => setTimeout(r, 500))
  t.deepEqual(readdirSync(dir), [], 'no dump, partial or manifest')
})

test('a backup verify killed with SIGKILL: the next verify drops its scratch database (saying so) and its pg_restore stops', async (t) => {
  const db = await freshDb(t)
  // A restore that takes seconds whatever the machine: restoring each row of this table into a scratch database sleeps 2 ms.
  await db.pg.query(`CREATE FUNCTION slow_ok(int) RETURNS boolean IMMUTABLE LANGUAGE plpgsql
      AS $$BEGIN PERFORM pg_sleep(CASE WHEN current_database() LIKE 'fluxadmin_verify%' THEN 0.002 ELSE 0 END); RETURN true; END$$;
    CREATE TABLE slow_restore (x int CHECK (slow_ok(x)));
    INSERT INTO slow_restore SELECT generate_series(1, 2500)`)
  const {file} = await createBackup(await db.session(), {dir: tempDir(t)})
  const scratch = `fluxadmin_verify_kill_${randomBytes(3).toString('hex')}`
  const run = startCli(['backup', 'verify', file, '--db-url', db.url, '--jobs', '2'], {
    FLUXADMIN_VERIFY_SCRATCH_NAME: scratch,
  })
  const marked = await until(
    async () =>
      run.child.exitCode === null &&
      (
        await db.pg.query(
          "SELECT 1 FROM pg_database d JOIN pg_stat_activity a ON a.datname = d.datname WHERE d.datname = $1 AND shobj_description(d.oid, 'pg_database') LIKE 'fluxadmin backup verify: backend %' AND a.application_name = 'fluxadmin_verify_restore'",
          [scratch],
        )
      ).rowCount! > 0,
    60_000,
  )
  // pg_restore -j2 holds several connections at once: any of them will do.
  t.true(marked, `caught the restore in flight: ${run.stderr()}`)
  run.child.kill('SIGKILL')
  await run.exited
  t.true(await databaseExists(scratch), 'SIGKILL leaves the scratch database behind')
  const next = await runCli(['backup', 'verify', file, '--db-url', db.url, '--format', 'json'], {timeoutMs: 150_000})
  t.is(next.code, 0, next.stderr)
  // Other test files verify at the same time and may have swept it first; either way it is gone.
  if (next.stderr.includes(scratch))
    t.regex(
      next.stderr,
      new RegExp(
        `^fluxadmin: dropped scratch database ${scratch} left by a verify run that is gone \\(server backend \\d+\\)\n`,
      ),
    )
  t.false(await databaseExists(scratch))
  t.true(await until(async () => restoresInto(scratch).length === 0, 20_000), 'the orphaned pg_restore processes ended')
})
