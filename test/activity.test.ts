import test from 'ava'
import {signalBackends} from '../src/activity/backend.js'
import {listSessions} from '../src/activity/sessions.js'
import {FluxError} from '../src/errors.js'
import {runCli} from './helpers/cli.js'
import {freshDb} from './helpers/db.js'
import {background, connect, until, waitingOnLock} from './helpers/sessions.js'

test('locks --blocking: a chain A -> B -> C and a session with two blockers form a correct tree', async (t) => {
  const db = await freshDb(t)
  await db.pg.query('CREATE TABLE t1 (id int); CREATE TABLE t2 (id int); CREATE TABLE t3 (id int)')
  const [a, b, c, d, e, f] = await Promise.all([1, 2, 3, 4, 5, 6].map(() => connect(t, db)))
  await a.client.query('BEGIN; LOCK TABLE t1 IN EXCLUSIVE MODE')
  await b.client.query('BEGIN; LOCK TABLE t2 IN EXCLUSIVE MODE')
  void background(b, 'LOCK TABLE t1 IN EXCLUSIVE MODE')
  await waitingOnLock(db, [b.pid])
  await c.client.query('BEGIN')
  void background(c, 'LOCK TABLE t2 IN EXCLUSIVE MODE')
  await d.client.query('BEGIN; LOCK TABLE t3 IN ACCESS SHARE MODE')
  await e.client.query('BEGIN; LOCK TABLE t3 IN ACCESS SHARE MODE')
  await f.client.query('BEGIN')
  void background(f, 'LOCK TABLE t3 IN ACCESS EXCLUSIVE MODE')
  await waitingOnLock(db, [b.pid, c.pid, f.pid])

  const result = await runCli(['locks', '--blocking', '--db-url', db.url, '--format', 'json'])
  t.is(result.code, 0, result.stderr)
  const ours = new Set([a, b, c, d, e, f].map((x) => x.pid))
  const rows = (
    JSON.parse(result.stdout) as Array<{
      pid: number
      depth: number
      parent: number | null
      blocked_by: number[]
      waiting_mode: string | null
      held_modes: string | null
      relation: string | null
      tree: string
    }>
  ).filter((r) => ours.has(r.pid))
  const at = (pid: number, parent: number | null) => rows.find((r) => r.pid === pid && r.parent === parent)
  t.is(at(a.pid, null)?.depth, 0)
  t.regex(at(a.pid, null)?.held_modes ?? '', /ExclusiveLock/)
  t.like(at(b.pid, a.pid), {depth: 1, waiting_mode: 'ExclusiveLock', relation: 't1', blocked_by: [a.pid]})
  t.like(at(c.pid, b.pid), {depth: 2, waiting_mode: 'ExclusiveLock', relation: 't2', blocked_by: [b.pid]})
  t.is(at(d.pid, null)?.depth, 0)
  t.is(at(e.pid, null)?.depth, 0)
  // F waits behind both holders of t3: it appears under each.
  t.like(at(f.pid, d.pid), {depth: 1, waiting_mode: 'AccessExclusiveLock', relation: 't3'})
  t.like(at(f.pid, e.pid), {depth: 1})
  t.deepEqual(
    [...at(f.pid, d.pid)!.blocked_by].sort((x, y) => x - y),
    [d.pid, e.pid].sort((x, y) => x - y),
  )
  t.is(rows.length, 7, 'A, B, C, D, E and F twice')
  // Each child follows its parent directly in tree order.
  const bIndex = rows.findIndex((r) => r.pid === b.pid)
  t.is(rows[bIndex - 1].pid, a.pid)
  t.is(rows[bIndex + 1].pid, c.pid)
  t.regex(at(c.pid, b.pid)!.tree, /^ {3}└─ \d+$/)

  const table = await runCli(['locks', '--blocking', '--db-url', db.url, '--format', 'table'])
  t.regex(table.stdout, new RegExp(`└─ ${b.pid}`))

  const locks = JSON.parse((await runCli(['locks', '--db-url', db.url, '--format', 'json'])).stdout) as Array<{
    pid: number
    granted: boolean
    mode: string
    relation: string
    blocked_by: number[]
  }>
  t.like(
    locks.find((l) => l.pid === b.pid && !l.granted),
    {mode: 'ExclusiveLock', relation: 't1', blocked_by: [a.pid]},
  )
  t.truthy(locks.find((l) => l.pid === a.pid && l.granted && l.relation === 't1'))
  t.false(locks[0].granted, 'waiting locks come first')

  const activity = JSON.parse(
    (await runCli(['activity', '--db-url', db.url, '--format', 'json', '--filter', 'application=fa-activity'])).stdout,
  ) as Array<{pid: number; blocked_by: number[]; blocking: number[]}>
  t.deepEqual(activity.find((r) => r.pid === b.pid)?.blocked_by, [a.pid])
  t.deepEqual(activity.find((r) => r.pid === a.pid)?.blocking, [b.pid])
})

test('activity --min-duration lists long idle-in-transaction sessions only; filters and bad values', async (t) => {
  const db = await freshDb(t)
  const long = await connect(t, db, 'fa-long')
  await long.client.query('BEGIN; SELECT 1')
  await new Promise((r) => setTimeout(r, 1500))
  const short = await connect(t, db, 'fa-short')
  await short.client.query('BEGIN; SELECT 1')
  const idle = await connect(t, db, 'fa-idle')

  // The domain call right away (CLI start-up on a loaded machine could push `short` past 1 s).
  const direct = await listSessions(await db.session(), {minDurationMs: 1000, database: db.name})
  t.true(direct.some((r) => r.pid === long.pid))
  t.false(
    direct.some((r) => r.pid === short.pid),
    'idle in transaction for less than 1 s',
  )
  t.false(
    direct.some((r) => r.pid === idle.pid),
    'plain idle sessions are left out',
  )

  const result = await runCli([
    'activity',
    '--min-duration',
    '1s',
    '--db-url',
    db.url,
    '--format',
    'json',
    '--filter',
    `database=${db.name}`,
  ])
  t.is(result.code, 0, result.stderr)
  const rows = JSON.parse(result.stdout) as Array<{
    pid: number
    state: string
    duration_s: number
    application: string
    xact_age_s: number
  }>
  t.like(
    rows.find((r) => r.pid === long.pid),
    {state: 'idle in transaction', application: 'fa-long'},
  )
  t.true(rows.find((r) => r.pid === long.pid)!.duration_s >= 1.5)
  t.false(rows.some((r) => r.pid === idle.pid))

  const all = JSON.parse(
    (
      await runCli([
        'activity',
        '--idle',
        '--db-url',
        db.url,
        '--format',
        'json',
        '--filter',
        'application=FA-',
        '--filter',
        `database=${db.name}`,
      ])
    ).stdout,
  ) as Array<{pid: number}>
  t.deepEqual(all.map((r) => r.pid).sort(), [long.pid, short.pid, idle.pid].sort())
  const none = JSON.parse(
    (
      await runCli([
        'activity',
        '--min-duration',
        '1h',
        '--db-url',
        db.url,
        '--format',
        'json',
        '--filter',
        'application=fa-',
      ])
    ).stdout,
  )
  t.deepEqual(none, [])

  const bad = await runCli(['activity', '--min-duration', 'soon', '--db-url', db.url])
  t.is(bad.code, 2)
  t.regex(bad.stderr, /^Error: invalid --min-duration "soon"\nHint: /)
  const badFilter = await runCli(['activity', '--filter', 'host=x', '--db-url', db.url])
  t.is(badFilter.code, 2)
  t.regex(badFilter.stderr, /Hint: use database=VALUE, user=VALUE, application=VALUE/)
})

test('backend cancel / terminate: --yes required without a terminal, audited, dry run, unknown pid', async (t) => {
  const db = await freshDb(t)
  const victim = await connect(t, db, 'fa-victim')
  const sleeping = background(victim, 'SELECT pg_sleep(60)')
  await until(
    async () =>
      (await db.pg.query('SELECT state FROM pg_stat_activity WHERE pid = $1', [victim.pid])).rows[0]?.state ===
      'active',
    'the sleep to start',
  )

  const refused = await runCli(['backend', 'cancel', String(victim.pid), '--db-url', db.url])
  t.is(refused.code, 2)
  t.regex(
    refused.stderr,
    new RegExp(
      `^Error: refusing to cancel the query of backend ${victim.pid} \\(user \\w+, db ${db.name}, app fa-victim\\) without confirmation\\nHint: pass --yes`,
    ),
  )

  const cancelled = await runCli([
    'backend',
    'cancel',
    String(victim.pid),
    '--yes',
    '--actor',
    'oncall@test',
    '--db-url',
    db.url,
    '--format',
    'json',
  ])
  t.is(cancelled.code, 0, cancelled.stderr)
  const [row] = JSON.parse(cancelled.stdout)
  t.like(row, {pid: victim.pid, action: 'cancelled', application: 'fa-victim', state: 'active'})
  t.regex(((await sleeping) as Error).message, /canceling statement due to user request/)
  const {rows: audits} = await db.pg.query(
    "SELECT id, event_type, severity, metadata FROM security_events WHERE event_type LIKE 'admin.backend.%' ORDER BY created_at",
  )
  t.is(audits.length, 1)
  t.like(audits[0], {id: row.audit_id, event_type: 'admin.backend.cancelled', severity: 'info'})
  t.like(audits[0].metadata, {pid: victim.pid, signal: 'cancel', actor: 'oncall@test', application: 'fa-victim'})

  const dry = await runCli([
    'backend',
    'terminate',
    String(victim.pid),
    '--dry-run',
    '--db-url',
    db.url,
    '--format',
    'json',
  ])
  t.is(dry.code, 0, dry.stderr)
  t.is(JSON.parse(dry.stdout)[0].action, 'would terminate')
  t.is((await victim.client.query('SELECT 1 AS one')).rows[0].one, 1, 'still connected after the dry run')

  const terminated = await runCli([
    'backend',
    'terminate',
    String(victim.pid),
    '--yes',
    '--db-url',
    db.url,
    '--format',
    'json',
  ])
  t.is(terminated.code, 0, terminated.stderr)
  t.is(JSON.parse(terminated.stdout)[0].action, 'terminated')
  await until(
    async () => (await db.pg.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [victim.pid])).rowCount === 0,
    'the backend to exit',
  )
  const {rows: after} = await db.pg.query(
    "SELECT event_type, severity FROM security_events WHERE event_type LIKE 'admin.backend.%' ORDER BY created_at",
  )
  t.deepEqual(
    after.map((r) => `${r.event_type}/${r.severity}`),
    ['admin.backend.cancelled/info', 'admin.backend.terminated/warning'],
  )

  const missing = await runCli(['backend', 'terminate', String(victim.pid), '--yes', '--db-url', db.url])
  t.is(missing.code, 4)
  t.regex(missing.stderr, new RegExp(`^Error: no server process with pid ${victim.pid}\\nHint: `))
  const usage = await runCli(['backend', 'cancel', 'abc', '--db-url', db.url])
  t.is(usage.code, 2)
  t.regex(usage.stderr, /^Error: invalid pid "abc"\nHint: /)
})

test("backend signals refuse the current session's own pid (exit 2) and audit nothing", async (t) => {
  const db = await freshDb(t)
  const session = await db.session()
  const {
    rows: [{pid}],
  } = await session.client.query('SELECT pg_backend_pid() AS pid')
  let asked = false
  const error = await t.throwsAsync(
    signalBackends(session, {selection: {pids: [pid]}, signal: 'terminate', confirm: async () => (asked = true)}),
  )
  t.true(error instanceof FluxError)
  t.is((error as FluxError).exitCode, 2)
  t.regex(error!.message, new RegExp(`pid ${pid} is this fluxadmin session`))
  t.false(asked, 'refused before asking')
  t.is((await db.pg.query('SELECT count(*)::int AS n FROM security_events')).rows[0].n, 0)
})
