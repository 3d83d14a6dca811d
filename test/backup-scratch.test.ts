import {spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {chmodSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import test from 'ava'
import {createBackup} from '../src/backup/create.js'
import {adminUrl, freshDb} from './helpers/db.js'
import {databaseExists, parseJson, restoresInto, smallFixture, tempDir, verifyCli} from './backup-fixtures.js'

test('backup verify --scratch restores a directory-format dump into a throwaway cluster with --jobs 2', async (t) => {
  const db = await freshDb(t)
  await smallFixture(db)
  const dir = tempDir(t)
  const {file, format} = await createBackup(await db.session(), {dir, jobs: 2})
  t.is(format, 'directory')
  const result = await verifyCli([file, '--scratch', '--jobs', '2', '--db-url', db.url, '--format', 'json'], {
    FLUXADMIN_PG_BIN: process.env.FLUXADMIN_TEST_PG_BIN,
  })
  t.is(result.code, 0, result.stderr + result.stdout)
  const steps = parseJson(result)
  t.regex(steps[2].detail, /restored into fluxadmin_verify_\w+ \(a throwaway cluster on 127\.0\.0\.1:\d+\) with 2 jobs/)
  t.is(steps[5].status, 'pass')
  t.regex(steps[6].detail, /dropped fluxadmin_verify_\w+, stopped the throwaway cluster/)
})

test('Ctrl-C during the restore drops the scratch database and exits 130', async (t) => {
  const db = await freshDb(t)
  await db.pg.query(`INSERT INTO security_events (event_type, severity, description)
    SELECT 'test.event', 'info', repeat(md5(g::text), 20) FROM generate_series(1, 150000) g`)
  const dir = tempDir(t)
  const {file} = await createBackup(await db.session(), {dir})
  const scratch = `fluxadmin_verify_int_${randomBytes(3).toString('hex')}`
  const child = spawn(
    process.execPath,
    [
      fileURLToPath(new URL('../bin/run.js', import.meta.url)),
      'backup',
      'verify',
      file,
      '--db-url',
      db.url,
      '--jobs',
      '1',
      '--format',
      'json',
    ],
    {env: {...process.env, FLUXADMIN_VERIFY_SCRATCH_NAME: scratch}, stdio: ['ignore', 'pipe', 'pipe']},
  )
  let stderr = ''
  child.stderr.on('data', (d) => {
    stderr += d
  })
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
  let seen = false
  for (let i = 0; i < 3000 && !seen; i++) {
    seen =
      (
        await db.pg.query(
          "SELECT 1 FROM pg_stat_activity WHERE application_name = 'fluxadmin_verify_restore' AND datname = $1",
          [scratch],
        )
      ).rowCount! > 0
    if (!seen) await new Promise((r) => setTimeout(r, 10))
  }
  t.true(seen, 'caught the restore in flight')
  child.kill('SIGINT')
  t.is(await exited, 130, stderr)
  t.regex(stderr, /^Error: backup verify interrupted; dropped fluxadmin_verify_int_\w+\n/)
  t.false(await databaseExists(scratch))
  t.deepEqual(restoresInto(scratch), [], 'its pg_restore processes ended with it')
})

test('backup verify --target-url restores on that server and audits in the --db-url database', async (t) => {
  const db = await freshDb(t)
  await smallFixture(db)
  const {file} = await createBackup(await db.session(), {dir: tempDir(t)})
  const result = await verifyCli([file, '--target-url', adminUrl(), '--db-url', db.url, '--format', 'json'])
  t.is(result.code, 0, result.stderr + result.stdout)
  t.regex(
    parseJson(result)[2].detail,
    new RegExp(`restored into ${result.scratch} \\(127\\.0\\.0\\.1:\\d+\\) with 2 jobs`),
  )
  t.false(await databaseExists(result.scratch))
  const {rows} = await db.pg.query(
    "SELECT metadata->>'scratch' AS scratch FROM security_events WHERE event_type = 'admin.backup.verified'",
  )
  t.deepEqual(rows, [{scratch: 'target-url'}])
})

/** The running postmaster of a `fluxadmin-verify-*` cluster under parent, if any. */
function throwawayServer(parent: string): {dir: string; pid: number} | undefined {
  for (const entry of readdirSync(parent).filter((e) => e.startsWith('fluxadmin-verify-'))) {
    const dir = join(parent, entry)
    try {
      const pid = Number(readFileSync(join(dir, 'cluster', 'data', 'postmaster.pid'), 'utf8').split('\n')[0])
      if (pid > 0) return {dir, pid}
    } catch {}
  }
  return undefined
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

test('a verify --scratch killed with SIGKILL leaves its cluster running: the next --scratch verify stops it and removes its directory', async (t) => {
  const db = await freshDb(t)
  await smallFixture(db)
  const {file} = await createBackup(await db.session(), {dir: tempDir(t)})
  const parent = tempDir(t)
  // The cluster's server runs as another user when we are root: it must reach its directory.
  chmodSync(parent, 0o755)
  const env = {...process.env, TMPDIR: parent, FLUXADMIN_PG_BIN: process.env.FLUXADMIN_TEST_PG_BIN}
  const child = spawn(
    process.execPath,
    [
      fileURLToPath(new URL('../bin/run.js', import.meta.url)),
      'backup',
      'verify',
      file,
      '--scratch',
      '--db-url',
      db.url,
    ],
    {env, stdio: 'ignore'},
  )
  const exited = new Promise((resolve) => child.on('close', resolve))
  let orphan: {dir: string; pid: number} | undefined
  for (let i = 0; i < 600 && !orphan; i++) {
    orphan = throwawayServer(parent)
    if (!orphan) await new Promise((r) => setTimeout(r, 50))
  }
  child.kill('SIGKILL')
  await exited
  t.truthy(orphan, 'caught the throwaway cluster running')
  t.teardown(() => {
    if (orphan && alive(orphan.pid)) process.kill(orphan.pid, 'SIGQUIT')
  })
  t.true(alive(orphan!.pid), 'the killed run left its server running')
  const next = await verifyCli([file, '--scratch', '--db-url', db.url, '--format', 'json'], {
    TMPDIR: parent,
    FLUXADMIN_PG_BIN: process.env.FLUXADMIN_TEST_PG_BIN,
  })
  t.is(next.code, 0, next.stderr + next.stdout)
  t.regex(
    next.stderr,
    new RegExp(
      `fluxadmin: removed ${orphan!.dir}, and stopped its server \\(pid ${orphan!.pid}\\), left by a run that was killed`,
    ),
  )
  t.false(alive(orphan!.pid))
  t.deepEqual(readdirSync(parent), [])
})
