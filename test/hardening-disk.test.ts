// Full disks, /dev/full and killed writers (issue 32: D7, D8, D9, D10, D15, a connection lost mid-dump):
// one line with exit 4 (3 for the connection), and nothing left behind in the directory.
import {execFileSync} from 'node:child_process'
import {closeSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import test, {type ExecutionContext} from 'ava'
import pg from 'pg'
import {runCli, startCli, until, type CliResult} from './helpers/cli.js'
import {fileDb, fixture} from './tenants-fixtures.js'

/** About 2 MB of messages that compress poorly (random hex): an archive or a dump too large for the small disk, in batches over 1 MB. */
const getDb = fileDb(test, async (d) => {
  await fixture(d.pg)
  await d.pg
    .query(`WITH c AS (INSERT INTO conversations (organization_id, name) SELECT id, 'General' FROM organizations WHERE slug = 'north-high' RETURNING id)
    INSERT INTO messages (conversation_id, author_id, content)
    SELECT c.id, (SELECT id FROM users WHERE email = 'ada@example.org'), (SELECT string_agg(md5(random()::text || g || i), '') FROM generate_series(1, 32) i)
    FROM c, generate_series(1, 2000) g`)
})

const full = join(process.env.FLUXADMIN_TEST_DIR!, `full-${process.pid}`)
const DISK_KB = 3072

test.before(() => {
  mkdirSync(full)
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${DISK_KB}k`, 'tmpfs', full])
})
test.after.always(() => {
  execFileSync('umount', [full])
  rmSync(full, {recursive: true, force: true})
})

/** Empties the small disk, then fills it up to `freeKb` of free space with one file. */
function fill(freeKb: number): void {
  for (const name of readdirSync(full)) rmSync(join(full, name), {recursive: true, force: true})
  const fd = openSync(join(full, 'filler'), 'w')
  try {
    writeFileSync(fd, Buffer.alloc((DISK_KB - freeKb) * 1024))
  } catch {
    // Filled to the last block.
  } finally {
    closeSync(fd)
  }
}

const cli = (args: string[], options: {stdout?: number; env?: NodeJS.ProcessEnv} = {}) =>
  runCli([...args, '--db-url', getDb().url], {...options, timeoutMs: 120_000})

function oneLine(
  t: {regex(s: string, r: RegExp, m?: string): void; notRegex(s: string, r: RegExp, m?: string): void},
  r: CliResult,
  reason: RegExp,
) {
  t.regex(r.stderr, /^Error: [^\n]+\nHint: [^\n]+\n$/, r.stderr.slice(0, 400))
  t.regex(r.stderr, reason)
  t.notRegex(r.stderr, /^\s+at |unexpected error/m)
}

/** An empty directory for one test, removed after it. */
function scratchDir(t: ExecutionContext, name: string): string {
  const dir = join(process.env.FLUXADMIN_TEST_DIR!, `${name}-${process.pid}`)
  mkdirSync(dir)
  t.teardown(() => rmSync(dir, {recursive: true, force: true}))
  return dir
}

/** A session holding ACCESS EXCLUSIVE on messages (until its ROLLBACK): an export or a dump waits there, mid-run. */
async function lockMessages(t: ExecutionContext): Promise<pg.Client> {
  const holder = new pg.Client({connectionString: getDb().url})
  await holder.connect()
  t.teardown(() => holder.end())
  await holder.query('BEGIN')
  await holder.query('LOCK TABLE messages IN ACCESS EXCLUSIVE MODE')
  return holder
}

test.serial('D7: orgs export onto a full disk is one line with exit 4, and its temporary file is gone', async (t) => {
  fill(256)
  const r = await cli(['orgs', 'export', 'north-high', '--out', join(full, 'north.tar')])
  t.is(r.code, 4, r.stderr)
  oneLine(t, r, /cannot write .*north\.tar: no space left on device/)
  t.deepEqual(readdirSync(full), ['filler'])
})

test.serial(
  'D8: backup create onto a full disk is exit 4 with no stray lock, and so is pg_dump running out of space; the next run is not blocked',
  async (t) => {
    fill(0)
    const none = await cli(['backup', 'create', '--dir', full])
    t.is(none.code, 4, none.stderr)
    oneLine(t, none, /no space left on device/)
    t.deepEqual(readdirSync(full), ['filler'], 'no .NAME.lock.PID file')
    fill(256)
    const some = await cli(['backup', 'create', '--dir', full])
    t.is(some.code, 4, some.stderr)
    oneLine(t, some, /pg_dump failed: .*No space left on device/)
    t.deepEqual(readdirSync(full), ['filler'], 'no partial dump, lock or manifest')
    fill(DISK_KB)
    const room = await cli(['backup', 'create', '--dir', full, '--format', 'json'])
    t.is(room.code, 0, room.stderr)
    t.is(readdirSync(full).filter((f) => f.startsWith('.')).length, 0)
  },
)

test.serial(
  'D9: a failed write to stdout (/dev/full) is one line with exit 4, also for --json, reports and the nagios check',
  async (t) => {
    const fd = openSync('/dev/full', 'w')
    t.teardown(() => closeSync(fd))
    for (const args of [
      ['orgs', 'list'],
      ['orgs', 'list', '--json'],
      ['reports', 'run', 'tenant-usage'],
      ['reports', 'run', 'tenant-usage', '--json'],
      ['health', 'check', '--format', 'nagios'],
    ]) {
      const r = await cli(args, {stdout: fd})
      t.is(r.code, 4, `${args.join(' ')}: ${r.stderr.slice(0, 300)}`)
      oneLine(t, r, /cannot write stdout: no space left on device/)
    }
  },
)

test.serial(
  'D10: the temporary archive of an orgs export killed with SIGKILL is removed by the next export into that directory',
  async (t) => {
    const db = getDb()
    const dir = scratchDir(t, 'killed-export')
    // The export waits on the messages table with its temporary file open.
    const holder = await lockMessages(t)
    const run = startCli(['orgs', 'export', 'north-high', '--out', join(dir, 'north.tar'), '--db-url', db.url])
    const waiting = await until(
      async () =>
        run.child.exitCode !== null ||
        (
          await db.pg.query(
            "SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND application_name = 'fluxadmin' AND wait_event_type = 'Lock'",
            [db.name],
          )
        ).rowCount === 1,
      60_000,
    )
    t.true(waiting && run.child.exitCode === null, `the export waits on the lock: ${run.stderr()}`)
    run.child.kill('SIGKILL')
    await run.exited
    await holder.query('ROLLBACK')
    const [left] = readdirSync(dir)
    t.regex(left, new RegExp(`^\\.north\\.tar\\.${run.child.pid}\\.\\d+\\.tmp$`))
    t.is(statSync(join(dir, left)).mode & 0o777, 0o600)
    const next = await cli(['orgs', 'export', 'south-uni', '--out', join(dir, 'south.tar')])
    t.is(next.code, 0, next.stderr)
    t.deepEqual(readdirSync(dir), ['south.tar'])
  },
)

test.serial(
  'D15: backup create --dir refuses a missing parent (exit 4, nothing created) and creates only the last level, 0700 even under umask 000',
  async (t) => {
    const base = scratchDir(t, 'backup-dirs')
    const missing = await cli(['backup', 'create', '--dir', join(base, 'missing', 'x')])
    t.is(missing.code, 4, missing.stderr)
    oneLine(t, missing, /directory .*missing does not exist/)
    t.deepEqual(readdirSync(base), [])
    const made = await runCli(['backup', 'create', '--dir', join(base, 'new'), '--db-url', getDb().url], {
      wrap: ['sh', '-c', 'umask 000; exec "$0" "$@"'],
    })
    t.is(made.code, 0, made.stderr)
    t.is(statSync(join(base, 'new')).mode & 0o777, 0o700)
  },
)

test.serial(
  'a connection lost while pg_dump runs is exit 3 for backup create, as for reports and exports, with no partial dump left',
  async (t) => {
    const db = getDb()
    const dir = scratchDir(t, 'lost-dump')
    const holder = await lockMessages(t)
    const run = startCli(['backup', 'create', '--dir', dir, '--db-url', db.url])
    const dumping =
      "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'fluxadmin_backup' AND wait_event_type = 'Lock'"
    const waiting = await until(
      async () => run.child.exitCode !== null || (await db.pg.query(dumping, [db.name])).rowCount === 1,
      60_000,
    )
    t.true(waiting && run.child.exitCode === null, `pg_dump waits on the lock: ${run.stderr()}`)
    await db.pg.query(`SELECT pg_terminate_backend(pid) FROM (${dumping}) d`, [db.name])
    await holder.query('ROLLBACK')
    t.is(await run.exited, 3, run.stderr())
    t.regex(run.stderr(), /^Error: pg_dump failed: .*(terminating connection|server closed the connection)/m)
    t.deepEqual(readdirSync(dir), [])
  },
)
