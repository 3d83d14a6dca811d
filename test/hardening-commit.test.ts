// A signal once COMMIT has returned: the change stands, exit 0, and stderr says so (issue 32: D13); an unknown
// command's name is echoed with stand-ins (D16).
import {execFileSync, spawn} from 'node:child_process'
import {createReadStream, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import test from 'ava'
import {runCli} from './helpers/cli.js'
import {freshDb, type TestDb} from './helpers/db.js'
import {fixture} from './tenants-fixtures.js'

const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))

async function until(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<boolean> {
  for (const end = Date.now() + timeoutMs; Date.now() < end;) {
    if (await check()) return true
    await new Promise((r) => setTimeout(r, 50))
  }
  return check()
}

/**
 * Runs a change whose output goes to a fifo nobody reads yet: it commits, then waits to write. SIGINT
 * then, once `committed` says the change is in; afterwards the fifo is read, so the command can finish.
 */
async function interruptAfterCommit(
  t: {teardown: (fn: () => void) => void},
  args: string[],
  committed: () => Promise<boolean>,
) {
  const dir = mkdtempSync(join(tmpdir(), 'fluxadmin-commit-test-'))
  t.teardown(() => rmSync(dir, {recursive: true, force: true}))
  const fifo = join(dir, 'out.fifo')
  execFileSync('mkfifo', [fifo])
  const child = spawn(process.execPath, [BIN, ...args, '--out', fifo, '--format', 'json'], {
    env: {...process.env, NO_COLOR: '1'},
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (d) => {
    stderr += d
  })
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  const inside = await until(async () => child.exitCode !== null || (await committed()))
  child.kill('SIGINT')
  // The new behaviour says so at once; the old one exits 130 instead.
  await until(async () => child.exitCode !== null || stderr.includes('it stands'), 20_000)
  let output = ''
  // A reader still opening when the test ends must not outlive it as an uncaught ENOENT.
  createReadStream(fifo)
    .on('data', (d) => {
      output += d
    })
    .on('error', () => {})
  return {inside, code: await exited, stderr, output: () => output}
}

test('SIGINT after orgs update committed: exit 0, the change and its output stand, and stderr says so', async (t) => {
  const db = await freshDb(t)
  await fixture(db.pg)
  const r = await interruptAfterCommit(
    t,
    ['orgs', 'update', 'north-high', '--tier', 'pro', '--db-url', db.url],
    async () =>
      (await db.pg.query("SELECT 1 FROM security_events WHERE event_type = 'admin.org.updated'")).rowCount === 1,
  )
  t.true(r.inside, r.stderr)
  t.is(r.code, 0, r.stderr)
  t.is(r.stderr, 'interrupted (SIGINT) after the change was committed: it stands; finishing its output\n')
  t.like(JSON.parse(r.output()), [{field: 'subscription_tier', before: 'free', after: 'pro'}])
  t.is(
    (await db.pg.query("SELECT subscription_tier FROM organizations WHERE slug = 'north-high'")).rows[0]
      .subscription_tier,
    'pro',
  )
})

test('SIGINT after db migrate committed every migration: exit 0, not "cancelled"', async (t) => {
  const db: TestDb = await freshDb(t, {migrated: false})
  const r = await interruptAfterCommit(
    t,
    ['db', 'migrate', '--db-url', db.url],
    async () =>
      (await db.pg.query("SELECT to_regclass('fluxadmin.schema_migrations') IS NOT NULL AS made")).rows[0].made,
  )
  t.true(r.inside, r.stderr)
  t.is(r.code, 0, r.stderr)
  t.notRegex(r.stderr, /cancelled/)
  const applied = JSON.parse(r.output()) as Array<{action: string}>
  t.true(applied.length > 5 && applied.every((m) => m.action === 'applied'), r.output())
  const status = await runCli(['db', 'status', '--db-url', db.url])
  t.is(status.code, 0, status.stdout)
})

test('an unknown command is echoed with stand-ins for its control characters, exit 2', async (t) => {
  const r = await runCli(['x\u001b]0;X\u0007'])
  t.is(r.code, 2)
  t.is(r.stderr, 'Error: command x\u241b]0;X\u2407 not found\nHint: see `fluxadmin --help` for the commands\n')
  const topic = await runCli(['orgs', 'nope\u001b[2J'])
  t.is(topic.code, 2)
  t.regex(topic.stderr, /^Error: command orgs nope\u241b\[2J not found\n/)
})
