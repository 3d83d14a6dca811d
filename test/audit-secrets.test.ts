import {spawn, spawnSync} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {createServer, type AddressInfo} from 'node:net'
import {fileURLToPath} from 'node:url'
import {join} from 'node:path'
import test from 'ava'
import {createdWithCli, verifyCli} from './backup-fixtures.js'
import {runCli} from './helpers/cli.js'
import {fixture, projectFixture} from './tenants-fixtures.js'
import {freshDb} from './helpers/db.js'

const SECRET = 'test-secret-pw'

/** Text that must never reach security_events: the password, the URL, the connection flags. */
const FORBIDDEN = [SECRET, 'postgres://', 'db-url', 'dbUrl', 'statement-timeout', 'FLUXADMIN_DB_URL']

test('no audit row of any mutation holds the password, the URL or a connection flag (--db-url and FLUXADMIN_DB_URL)', async (t) => {
  const db = await freshDb(t)
  const ids = await fixture(db.pg)
  await projectFixture(db.pg, ids)
  const csv = join(process.env.FLUXADMIN_TEST_DIR!, `audit-secrets-${db.name}.csv`)
  writeFileSync(csv, 'email,name,user_type,role\nnew1@example.org,New One,client,member\n')
  const {
    rows: [{pid}],
  } = await db.pg.query('SELECT pg_backend_pid() AS pid')
  const steps: string[][] = [
    ['orgs', 'create', '--slug', 'acme', '--name', 'Acme', '--type', 'studio', '--contact-email', 'ops@acme.example'],
    ['orgs', 'update', 'acme', '--tier', 'pro'],
    ['orgs', 'suspend', 'acme', '--reason', 'unpaid', '--yes'],
    ['orgs', 'unsuspend', 'acme', '--yes'],
    ['users', 'invite', '--email', 'dee@example.org', '--name', 'Dee', '--type', 'client', '--org', 'north-high'],
    ['users', 'update', 'dee@example.org', '--name', 'Dee D'],
    ['users', 'deactivate', 'cy@example.org', '--yes'],
    ['users', 'reactivate', 'cy@example.org'],
    ['onboard', csv, '--org', 'north-high'],
    ['members', 'add', 'south-uni', 'ada@example.org', '--role', 'viewer'],
    ['members', 'set-role', 'south-uni', 'ada@example.org', 'admin'],
    ['members', 'remove', 'south-uni', 'ada@example.org', '--yes'],
    ['teams', 'create', '--org', 'north-high', '--slug', 'wind', '--name', 'Wind', '--description', 'winds'],
    ['teams', 'add-member', 'wind', 'bob@example.org', '--org', 'north-high'],
    ['teams', 'remove-member', 'wind', 'bob@example.org', '--org', 'north-high', '--yes'],
    ['teams', 'delete', 'wind', '--org', 'north-high', '--yes'],
    ['projects', 'add-member', 'north-high', 'spring-concert', 'bob@example.org'],
    ['projects', 'set-role', 'north-high', 'spring-concert', 'bob@example.org', 'viewer'],
    ['projects', 'remove-member', 'north-high', 'spring-concert', 'bob@example.org', '--yes'],
    ['sessions', 'revoke', '--user', 'bob@example.org', '--yes'],
    ['sessions', 'purge', '--older-than', '30d', '--yes'],
    ['stats', 'reset', '--db', db.name, '--yes'],
    ['backend', 'cancel', String(pid), '--yes'],
    ['users', 'create', '--email', 'pw@example.org', '--name', 'Pw', '--type', 'client', '--password-stdin'],
  ]
  for (const [i, args] of steps.entries()) {
    // Every other step takes the URL from the environment instead of the flag.
    const viaEnv = i % 2 === 1
    const r = await runCli(viaEnv ? args : [...args, '--db-url', db.url], {
      env: viaEnv ? {FLUXADMIN_DB_URL: db.url} : {},
      input: 'a-user-password-123\n',
    })
    t.is(r.code, 0, `${args.join(' ')}: ${r.stderr}`)
  }
  const {rows} = await db.pg.query('SELECT event_type, description, metadata::text AS metadata FROM security_events')
  const types = new Set(rows.map((r) => r.event_type))
  t.true(types.size >= steps.length - 2, [...types].join(', '))
  for (const row of rows) {
    for (const text of FORBIDDEN)
      t.false(`${row.description} ${row.metadata}`.includes(text), `${row.event_type} holds ${text}: ${row.metadata}`)
    t.false(row.metadata.includes('a-user-password-123'), row.event_type)
  }
  // The flags that describe the change are still there.
  const team = rows.find((r) => r.event_type === 'admin.team.created')
  t.deepEqual(JSON.parse(team.metadata).args, {org: 'north-high', slug: 'wind', name: 'Wind', description: 'winds'})
  const revoke = rows.find((r) => r.event_type === 'admin.sessions.revoked')
  t.deepEqual(JSON.parse(revoke.metadata).args, {user: 'bob@example.org'})
})

test('backup verify records no password or URL in its audit row', async (t) => {
  const {db, row} = await createdWithCli(t)
  const r = await verifyCli([row.file], {FLUXADMIN_DB_URL: db.url})
  t.is(r.code, 0, r.stderr)
  const {rows} = await db.pg.query(
    "SELECT description, metadata::text AS metadata FROM security_events WHERE event_type = 'admin.backup.verified'",
  )
  t.is(rows.length, 1)
  for (const text of FORBIDDEN) t.false(`${rows[0].description} ${rows[0].metadata}`.includes(text), text)
})

test('organization lifecycle rows (export, move with a --to URL and purge, erase) hold no password or URL', async (t) => {
  const [source, target] = await Promise.all([freshDb(t), freshDb(t)])
  await fixture(source.pg)
  const archive = join(process.env.FLUXADMIN_TEST_DIR!, `audit-secrets-${source.name}.tar`)
  const steps = [
    ['orgs', 'export', 'south-uni', '--out', archive],
    ['orgs', 'suspend', 'north-high', '--reason', 'moving', '--yes'],
    ['orgs', 'move', 'north-high', '--to', target.url, '--delete-source', '--yes'],
    ['users', 'erase', 'cy@example.org', '--yes'],
  ]
  for (const args of steps) {
    const r = await runCli([...args, '--db-url', source.url], {timeoutMs: 120_000})
    t.is(r.code, 0, `${args.join(' ')}: ${r.stderr}`)
  }
  for (const db of [source, target]) {
    const {rows} = await db.pg.query('SELECT event_type, description, metadata::text AS metadata FROM security_events')
    t.true(rows.length > 0)
    for (const row of rows) {
      for (const text of FORBIDDEN)
        t.false(`${row.description} ${row.metadata}`.includes(text), `${row.event_type} holds ${text}`)
    }
  }
})

test("a password in the arguments is not in ps or /proc/PID/cmdline while the command runs (a URL's, password= in a keyword string)", async (t) => {
  // A server that accepts and never answers: the command waits its connect_timeout out.
  const silent = createServer(() => {})
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  t.teardown(() => {
    silent.close()
  })
  const port = (silent.address() as AddressInfo).port
  for (const url of [
    `postgres://ops:${SECRET}@127.0.0.1:${port}/app?connect_timeout=15`,
    `host=127.0.0.1 port=${port} dbname=app user=ops password=${SECRET} connect_timeout=15`,
  ]) {
    const child = spawn(
      process.execPath,
      [fileURLToPath(new URL('../bin/run.js', import.meta.url)), 'orgs', 'list', '--db-url', url],
      {stdio: 'ignore'},
    )
    const exited = new Promise((resolve) => child.on('close', resolve))
    // Start-up takes a moment (seconds on a loaded machine); the connection then waits up to 15 s.
    const cmdline = () => readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').replace(/\0/g, ' ')
    let shown = cmdline()
    // Until the child has exec'd (before, /proc shows its parent's command line) and has rewritten its title.
    for (let i = 0; i < 500 && (shown.includes(SECRET) || !shown.includes('orgs list --db-url')); i++) {
      await new Promise((r) => setTimeout(r, 20))
      shown = cmdline()
    }
    const ps = spawnSync('ps', ['-o', 'args=', '-p', String(child.pid)], {encoding: 'utf8'}).stdout
    child.kill('SIGTERM')
    await exited
    for (const text of [shown, ps]) {
      t.false(text.includes(SECRET), text)
      t.regex(text, /orgs list --db-url (postgres:\/\/ops:\*\*\*@|host=127\.0\.0\.1 .*password=\*\*\*)/)
    }
  }
})
