// orgs move leaves no archive (it holds password hashes) on any exit, and a second import or move of the same
// organization is a conflict, not a lock timeout (issue 32: D2 and the concurrency item).
import {spawn} from 'node:child_process'
import {mkdtempSync, readdirSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import test from 'ava'
import {runCli} from './helpers/cli.js'
import {freshDb, type TestDb} from './helpers/db.js'
import {lifecycleFixture} from './lifecycle-fixtures.js'
import {cliFor, fileDb} from './tenants-fixtures.js'

const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const db = fileDb(test, async (d) => {
  await lifecycleFixture(d.pg)
  await d.pg.query("UPDATE organizations SET subscription_status = 'suspended' WHERE slug = 'north-high'")
})
const cli = cliFor(db)

function workDir(t: {teardown: (fn: () => void) => void}): string {
  const dir = mkdtempSync(join(tmpdir(), 'fluxadmin-move-test-'))
  t.teardown(() => rmSync(dir, {recursive: true, force: true}))
  return dir
}

/**
 * Holds every import into the target at its first security_events row until release(): a trigger
 * polls a flag table (a sleep, not a lock wait, so lock_timeout never ends it).
 */
async function holdImport(target: TestDb) {
  await target.pg.query(`CREATE TABLE hold_released (x int);
    CREATE FUNCTION hold_import() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN WHILE NOT EXISTS (SELECT 1 FROM hold_released) LOOP PERFORM pg_sleep(0.05); END LOOP; RETURN NEW; END $$;
    CREATE TRIGGER hold_import BEFORE INSERT ON security_events FOR EACH ROW EXECUTE FUNCTION hold_import()`)
  return {
    release: async () => {
      await target.pg.query('INSERT INTO hold_released VALUES (1)')
    },
  }
}

/** Starts a command; resolves once its import is held. */
async function startWaiting(target: TestDb, args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args, '--statement-timeout', '3min'], {
    env: {...process.env, NO_COLOR: '1'},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (d) => {
    stderr += d
  })
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  let waiting = false
  for (let i = 0; i < 1200 && child.exitCode === null && !waiting; i++) {
    waiting =
      (
        await db().pg.query(
          "SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND application_name = 'fluxadmin' AND wait_event = 'PgSleep'",
          [target.name],
        )
      ).rowCount === 1
    if (!waiting) await new Promise((r) => setTimeout(r, 50))
  }
  return {child, exited, waiting, stderr: () => stderr}
}

const leftovers = (dir: string) => readdirSync(dir).filter((f) => f.includes('fluxadmin-move-'))

test.serial(
  'orgs move: a second move of the organization is a conflict (5); SIGINT leaves no archive in --work-dir',
  async (t) => {
    const target = await freshDb(t)
    const dir = workDir(t)
    await holdImport(target)
    const first = await startWaiting(target, [
      'orgs',
      'move',
      'north-high',
      '--to',
      target.url,
      '--yes',
      '--work-dir',
      dir,
      '--db-url',
      db().url,
    ])
    t.true(first.waiting, first.stderr())
    t.is(leftovers(dir).length, 1, 'the archive is there while the import runs')
    const second = await cli(['orgs', 'move', 'north-high', '--to', target.url, '--yes', '--work-dir', dir])
    t.is(second.code, 5, second.stderr)
    t.regex(
      second.stderr,
      /^Error: another import or move of organization north-high \([0-9a-f-]{36}\) is running in this database\n/m,
    )
    first.child.kill('SIGINT')
    t.is(await first.exited, 130, first.stderr())
    t.deepEqual(leftovers(dir), [])
  },
)

test.serial(
  'orgs move killed with SIGKILL leaves its archive; the next move removes it (its process is gone)',
  async (t) => {
    const target = await freshDb(t)
    const dir = workDir(t)
    await holdImport(target)
    const run = await startWaiting(target, [
      'orgs',
      'move',
      'north-high',
      '--to',
      target.url,
      '--yes',
      '--work-dir',
      dir,
      '--db-url',
      db().url,
    ])
    t.true(run.waiting, run.stderr())
    run.child.kill('SIGKILL')
    await run.exited
    const [left] = leftovers(dir)
    t.regex(left, new RegExp(`^\\.fluxadmin-move-[0-9a-f-]{36}\\.tar\\.${run.child.pid}\\.\\d{13}\\.tmp$`))
    // Even a move that is refused (an active organization) clears the dead run's archive first.
    const next = await cli(['orgs', 'move', 'south-uni', '--to', target.url, '--yes', '--work-dir', dir])
    t.is(next.code, 2, next.stderr)
    t.deepEqual(leftovers(dir), [])
  },
)

test.serial(
  'two concurrent orgs import of one archive: the second is a conflict (5) at once, not a lock timeout (6)',
  async (t) => {
    const target = await freshDb(t)
    const dir = workDir(t)
    const archive = join(dir, 'north.tar')
    const exported = await cli(['orgs', 'export', 'north-high', '--out', archive])
    t.is(exported.code, 0, exported.stderr)
    const hold = await holdImport(target)
    const first = await startWaiting(target, ['orgs', 'import', archive, '--yes', '--db-url', target.url])
    t.true(first.waiting, first.stderr())
    const second = await runCli(['orgs', 'import', archive, '--yes', '--db-url', target.url])
    t.is(second.code, 5, second.stderr)
    t.regex(second.stderr, /^Error: another import or move of organization north-high/)
    await hold.release()
    t.is(await first.exited, 0, first.stderr())
    t.is((await target.pg.query("SELECT 1 FROM organizations WHERE slug = 'north-high'")).rowCount, 1)
  },
)
