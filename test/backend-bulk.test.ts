import test from 'ava'
import pg from 'pg'
import {signalBackends} from '../src/activity/backend.js'
import {createPoller} from '../src/dashboard/poller.js'
import {cliJson, runCli} from './helpers/cli.js'
import {until} from './helpers/wait.js'
import {freshDb, type TestDb} from './helpers/db.js'

interface Conn {
  client: pg.Client
  pid: number
}

/** A connection as `user` (default: the test superuser), closed after the test; its errors (terminated) are swallowed. */
async function connect(
  t: {teardown(fn: () => Promise<void>): void},
  db: TestDb,
  application: string,
  user?: {name: string; password: string},
): Promise<Conn> {
  const url = new URL(db.url)
  if (user) {
    url.username = user.name
    url.password = user.password
  }
  const client = new pg.Client({connectionString: url.toString(), application_name: application})
  client.on('error', () => {})
  await client.connect()
  t.teardown(() => client.end().catch(() => {}))
  const {
    rows: [{pid}],
  } = await client.query('SELECT pg_backend_pid() AS pid')
  return {client, pid}
}

/** Calls of every statement of this database that can send pg_terminate_backend (one: activity/signal-targets). */
const signalStatements = async (db: TestDb) =>
  (
    await db.pg.query(
      "SELECT calls FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query LIKE '%pg_terminate_backend(%' AND query NOT LIKE '%pg_stat_statements%'",
    )
  ).rows.map((r) => Number(r.calls))

const alive = async (db: TestDb, pids: number[]) =>
  (await db.pg.query('SELECT pid FROM pg_stat_activity WHERE pid = ANY ($1)', [pids])).rows
    .map((r) => r.pid as number)
    .sort()

/** A login role of this test database, dropped after the file (roles are cluster-wide). */
async function loginRole(t: {teardown(fn: () => Promise<void>): void}, db: TestDb, name: string) {
  const password = 'pw-' + name
  await db.pg.query(`CREATE ROLE ${name} LOGIN PASSWORD '${password}'`)
  t.teardown(async () => {
    await db.pg
      .query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [name])
      .catch(() => {})
    await db.pg.query(`DROP ROLE IF EXISTS ${name}`).catch(() => {})
  })
  return {name, password}
}

test.serial(
  'backend terminate --user --state: lists and counts, needs --yes, ends them in one statement, one audit row each; others survive',
  async (t) => {
    const db = await freshDb(t)
    const app = await loginRole(t, db, `bulk_app_${db.name.slice(2, 8)}`)
    const other = await loginRole(t, db, `bulk_other_${db.name.slice(2, 8)}`)
    const idle = await Promise.all(Array.from({length: 12}, () => connect(t, db, 'fa-bulk-api', app)))
    const busy = await connect(t, db, 'fa-bulk-api', app)
    void busy.client.query('SELECT pg_sleep(600)').catch(() => {})
    const otherRole = await connect(t, db, 'fa-bulk-api', other)
    const superIdle = await connect(t, db, 'fa-bulk-api')
    await until(
      async () =>
        (await db.pg.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = 'active'", [busy.pid]))
          .rowCount === 1,
      'the sleep to start',
    )
    const idlePids = idle.map((c) => c.pid).sort()

    const dry = await cliJson(db, 'backend', 'terminate', '--user', app.name, '--state', 'idle', '--dry-run')
    t.is(dry.code, 0, dry.stderr)
    const preview = JSON.parse(dry.stdout) as Array<{pid: number; action: string}>
    t.deepEqual(preview.map((r) => r.pid).sort(), idlePids)
    t.true(preview.every((r) => r.action === 'would terminate'))
    t.regex(dry.stderr, /would terminate 12 sessions/)
    t.deepEqual(await alive(db, idlePids), idlePids, 'a dry run ends nothing')

    const refused = await runCli(['backend', 'terminate', '--user', app.name, '--state', 'idle', '--db-url', db.url])
    t.is(refused.code, 2)
    t.regex(
      refused.stderr,
      /^Error: refusing to terminate 12 backends \(pids [\d, ]+, …\) without confirmation\nHint: pass --yes/,
    )

    const before = await signalStatements(db)
    t.is(before.length, 1, 'the dry run and the refusal ran the preview')
    const started = Date.now()
    const done = await cliJson(
      db,
      'backend',
      'terminate',
      '--user',
      app.name,
      '--state',
      'idle',
      '--yes',
      '--actor',
      'oncall@test',
    )
    const elapsed = Date.now() - started
    t.is(done.code, 0, done.stderr)
    t.log(`12 sessions ended by one command in ${elapsed} ms`)
    const rows = JSON.parse(done.stdout) as Array<{pid: number; action: string; audit_id: string}>
    t.deepEqual(rows.map((r) => r.pid).sort(), idlePids)
    t.true(rows.every((r) => r.action === 'terminated'))
    t.regex(done.stderr, /terminated 12 sessions/)
    await until(async () => (await alive(db, idlePids)).length === 0, 'the 12 sessions to exit')
    t.deepEqual(
      await alive(db, [busy.pid, otherRole.pid, superIdle.pid]),
      [busy.pid, otherRole.pid, superIdle.pid].sort(),
      'the active session, the other role and the superuser survive',
    )

    const {rows: audits} = await db.pg.query(
      "SELECT id, event_type, severity, metadata FROM security_events WHERE event_type = 'admin.backend.terminated'",
    )
    t.is(audits.length, 12)
    t.deepEqual(audits.map((a) => a.metadata.pid).sort(), idlePids)
    t.deepEqual(
      Object.fromEntries(audits.map((a) => [a.metadata.pid, a.id])),
      Object.fromEntries(rows.map((r) => [r.pid, r.audit_id])),
      'each row names its own audit row',
    )
    t.true(
      audits.every(
        (a) =>
          a.metadata.actor === 'oncall@test' &&
          a.metadata.user === app.name &&
          a.metadata.batch_size === 12 &&
          a.severity === 'warning',
      ),
    )

    // One statement sent the signals: the preview and the act are the same statement, each run once.
    t.deepEqual(await signalStatements(db), [before[0] + 2])

    const none = await cliJson(db, 'backend', 'cancel', '--user', app.name, '--state', 'idle-in-transaction', '--yes')
    t.is(none.code, 0, none.stderr)
    t.deepEqual(JSON.parse(none.stdout), [])
    t.regex(none.stderr, /no session matches/)
  },
)

test.serial(
  "filters never reach fluxadmin's own session nor a superuser's unless named by pid; --idle-for and --application",
  async (t) => {
    const db = await freshDb(t)
    const session = await db.session()
    const {
      rows: [{pid: own}],
    } = await session.client.query('SELECT pg_backend_pid() AS pid')
    const role = await loginRole(t, db, `bulk_age_${db.name.slice(2, 8)}`)
    const superIdle = await connect(t, db, 'fa-bulk-super')
    const fresh = await connect(t, db, 'fa-bulk-fresh', role)
    await new Promise((r) => setTimeout(r, 1200))
    const young = await connect(t, db, 'fa-bulk-fresh', role)

    const asked: string[] = []
    const results = await signalBackends(session, {
      selection: {users: ['postgres'], states: ['idle', 'active']},
      signal: 'terminate',
      confirm: async (what) => (asked.push(what), true),
    })
    t.false(
      results.some((r) => r.pid === own),
      'this session is not even listed',
    )
    t.like(
      results.find((r) => r.pid === superIdle.pid),
      {action: "skipped: a superuser's session: name it by pid", audit_id: null},
    )
    t.deepEqual(asked, [], 'nothing to do: nothing asked')
    t.is((await session.client.query('SELECT 1 AS one')).rows[0].one, 1)

    const aged = await signalBackends(session, {
      selection: {applications: ['fa-bulk-fresh'], idleForMs: 1000},
      signal: 'terminate',
      dryRun: true,
      confirm: async () => true,
    })
    t.deepEqual(
      aged.map((r) => [r.pid, r.action]),
      [[fresh.pid, 'would terminate']],
      `not ${young.pid}, idle for less than 1 s`,
    )

    // A role without the privileges of the sessions' role: listed as skipped, nothing sent; by pid: exit 6.
    const lim = await loginRole(t, db, `bulk_lim_${db.name.slice(2, 8)}`)
    const blind = await loginRole(t, db, `bulk_blind_${db.name.slice(2, 8)}`)
    await db.pg.query(`GRANT pg_read_all_stats TO ${lim.name}`)
    const urlOf = (who: {name: string; password: string}) => ({
      url: Object.assign(new URL(db.url), {username: who.name, password: who.password}).toString(),
    })
    const asLim = urlOf(lim)
    const denied = await cliJson(asLim, 'backend', 'terminate', '--user', role.name, '--yes')
    t.is(denied.code, 0, denied.stderr)
    t.deepEqual(
      (JSON.parse(denied.stdout) as Array<{pid: number; action: string}>).map((r) => r.action),
      [0, 1].map(
        () => `skipped: not permitted: ${lim.name} has the privileges of neither ${role.name} nor pg_signal_backend`,
      ),
    )
    const deniedPid = await cliJson(asLim, 'backend', 'terminate', String(fresh.pid), '--yes')
    t.is(deniedPid.code, 6)
    t.regex(deniedPid.stderr, new RegExp(`^Error: cannot terminate backend ${fresh.pid}: not permitted: .*\\nHint: `))
    const unseen = await cliJson(urlOf(blind), 'backend', 'terminate', String(fresh.pid), '--yes')
    t.is(unseen.code, 6)
    t.regex(
      unseen.stderr,
      new RegExp(
        `^Error: cannot terminate backend ${fresh.pid}: not visible: ${blind.name} has the privileges of neither`,
      ),
    )
    t.deepEqual(await alive(db, [fresh.pid, young.pid]), [fresh.pid, young.pid].sort())

    const named = await cliJson(db, 'backend', 'terminate', String(superIdle.pid), '--yes')
    t.is(named.code, 0, named.stderr)
    t.is(JSON.parse(named.stdout)[0].action, 'terminated')

    const nothing = await runCli(['backend', 'terminate', '--db-url', db.url])
    t.is(nothing.code, 2)
    t.regex(nothing.stderr, /^Error: name a pid or a filter\nHint: /)
    const badState = await runCli(['backend', 'terminate', '--state', 'sleeping', '--db-url', db.url])
    t.is(badState.code, 2)
    const badAge = await runCli(['backend', 'terminate', '--idle-for', 'long', '--db-url', db.url])
    t.is(badAge.code, 2)
    t.regex(badAge.stderr, /invalid --idle-for "long"/)
  },
)

test.serial(
  'backend terminate PID --dry-run says how many sessions it blocks, directly and through the lock tree',
  async (t) => {
    const db = await freshDb(t)
    await db.pg.query('CREATE TABLE t1 (id int); CREATE TABLE t2 (id int)')
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => connect(t, db, 'fa-bulk-tree')))
    await a.client.query('BEGIN; LOCK TABLE t1 IN EXCLUSIVE MODE')
    await b.client.query('BEGIN; LOCK TABLE t2 IN EXCLUSIVE MODE')
    void b.client.query('LOCK TABLE t1 IN EXCLUSIVE MODE').catch(() => {})
    await c.client.query('BEGIN')
    void c.client.query('LOCK TABLE t2 IN EXCLUSIVE MODE').catch(() => {})
    await until(
      async () =>
        (
          await db.pg.query(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ANY ($1) AND wait_event_type = 'Lock'",
            [[b.pid, c.pid]],
          )
        ).rows[0].n === 2,
      'B and C to wait',
    )

    const dry = await cliJson(db, 'backend', 'terminate', String(a.pid), '--dry-run')
    t.is(dry.code, 0, dry.stderr)
    t.like(JSON.parse(dry.stdout)[0], {pid: a.pid, action: 'would terminate', blocking: 1, blocking_total: 2})
    t.regex(
      dry.stderr,
      new RegExp(`would terminate 1 session; pid ${a.pid} blocks 1 session directly, 2 through the lock tree`),
    )
  },
)

test.serial(
  "the dashboard's tagged sessions end together: one statement, one audit row each, the untagged one survives",
  async (t) => {
    const db = await freshDb(t)
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => connect(t, db, 'fa-bulk-tagged')))
    const poller = createPoller({
      connect: () => db.session(),
      intervalMs: 500,
      filter: {database: db.name, includeIdle: true},
      actor: 'dashboard@test',
    })
    t.teardown(() => poller.stop())
    await until(async () => Boolean(poller.getState().data?.activity.some((r) => r.pid === c.pid)), 'the first tick')
    // Tagged sessions are named by pid: a superuser's (these are) is signalled too.
    const message = await poller.signal([a.pid, b.pid], 'terminate')
    t.is(message, 'terminated 2 sessions (audited)')
    await until(async () => (await alive(db, [a.pid, b.pid])).length === 0, 'the tagged sessions to exit')
    t.deepEqual(await alive(db, [c.pid]), [c.pid])
    const {rows} = await db.pg.query(
      "SELECT metadata FROM security_events WHERE event_type = 'admin.backend.terminated'",
    )
    t.deepEqual(rows.map((r) => r.metadata.pid).sort(), [a.pid, b.pid].sort())
    t.true(rows.every((r) => r.metadata.actor === 'dashboard@test' && r.metadata.batch_size === 2))
  },
)
