import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import test from 'ava'
import pg from 'pg'
import {resolveTarget} from '../src/db/resolve.js'
import {openSession} from '../src/db/session.js'
import {inTransaction} from '../src/db/transaction.js'
import type {FluxError} from '../src/errors.js'
import {runCli} from './helpers/cli.js'
import type {TestDb} from './helpers/db.js'
import {pgbouncer, startBouncer} from './helpers/pgbouncer.js'
import {until, withStandby, type Standby} from './helpers/standby.js'
import {checksum, fixture} from './tenants-fixtures.js'

interface CheckJson {
  check: string
  state: string
  value: number | null
  detail: string
}

let db: TestDb
let standby: Standby
let onStandby: string

withStandby(
  test,
  async (d, s) => {
    db = d
    standby = s
    onStandby = s.url(d.name)
    await fixture(d.pg)
  },
  {max_standby_streaming_delay: "'1s'"},
)

async function replicationCheck(url: string, ...args: string[]) {
  const r = await runCli(['health', 'check', '--db-url', url, '--only', 'replication', '--format', 'json', ...args])
  const rows = r.stdout.trim().startsWith('[') ? (JSON.parse(r.stdout) as CheckJson[]) : []
  return {...r, row: (name: string) => rows.find((c) => c.check === name)!}
}

/** This file's standby in the primary's standbys detail: state, sync state and bytes not replayed. */
function ours(detail: string) {
  const m = new RegExp(`${standby.name}: (\\w+) (\\w+), behind write (\\d+) / flush (\\d+) / replay (\\d+) bytes`).exec(
    detail,
  )
  return m ? {state: m[1], sync: m[2], replayBytes: Number(m[5])} : undefined
}

test.serial('target_session_attrs picks the server of a host list as libpq does', async (t) => {
  const p = new URL(db.url)
  const s = new URL(onStandby)
  const list = (ports: string[], attrs?: string) =>
    `postgres://${p.username}:${p.password}@${ports.map((port) => `127.0.0.1:${port}`).join(',')}${p.pathname}${attrs ? `?target_session_attrs=${attrs}` : ''}`
  const port = async (url: string) => {
    const session = await openSession(resolveTarget(url))
    try {
      return String(session.target.port)
    } finally {
      await session.close()
    }
  }
  t.is(await port(list([s.port, p.port])), s.port, 'any: the first that connects')
  t.is(await port(list([p.port, s.port], 'standby')), s.port)
  t.is(await port(list([s.port, p.port], 'read-write')), p.port)
  t.is(await port(list([s.port, p.port], 'primary')), p.port)
  t.is(await port(list([p.port, s.port], 'read-only')), s.port)
  t.is(await port(list([p.port, s.port], 'prefer-standby')), s.port)
  t.is(
    await port(list([p.port, '1'], 'prefer-standby')),
    p.port,
    'no standby reachable: the first server that connected',
  )
  const r = await runCli(['db', 'status', '--db-url', list([s.port], 'primary')])
  t.is(r.code, 3)
  t.regex(
    r.stderr,
    /^Error: cannot connect to PostgreSQL at 127\.0\.0\.1:\d+\/\w+: the server is a standby \(target_session_attrs=primary\)\nHint: [^\n]+\n$/,
  )
  const fromEnv = await openSession(
    resolveTarget(list([s.port, p.port]), {...process.env, PGTARGETSESSIONATTRS: 'read-write'}),
  )
  t.is(String(fromEnv.target.port), p.port, 'PGTARGETSESSIONATTRS')
  await fromEnv.close()
})

test.serial("the primary's health check sees the standby streaming, and its lag once replay stops", async (t) => {
  const healthy = await replicationCheck(db.url)
  // Only this file's standby is asserted: another test file may have one of its own, starting or stopped.
  t.is(ours(healthy.row('standbys').detail)?.state, 'streaming', healthy.stdout)
  t.is(ours(healthy.row('standbys').detail)?.sync, 'async')
  t.not(healthy.row('replication_lag').value, null)
  t.true(healthy.row('replication_lag_bytes').value! >= 0)
  t.notRegex(healthy.row('standby_gone').detail, new RegExp(`no standby on .*${standby.name}`))
  t.is(healthy.row('replay_lag').detail, 'not a standby')

  await standby.pauseReplay()
  t.teardown(() => standby.resumeReplay())
  await db.pg.query("UPDATE organizations SET name = name || ' (renamed)' WHERE slug = 'south-uni'")
  let behind: Awaited<ReturnType<typeof replicationCheck>> | undefined
  await until('the primary to see the standby behind', async () => {
    behind = await replicationCheck(db.url, '--warn', 'replication_lag_bytes=0')
    return (ours(behind.row('standbys').detail)?.replayBytes ?? 0) > 0
  })
  t.is(behind!.row('replication_lag_bytes').state, 'WARNING')
  t.is(behind!.code, 1)
  t.true(behind!.row('replication_lag_bytes').value! > 0)
})

test.serial('on the standby: OK while it replays, WARNING when replay is paused', async (t) => {
  await standby.resumeReplay()
  await standby.caughtUp()
  const replaying = await replicationCheck(onStandby)
  t.is(replaying.code, 0, replaying.stdout + replaying.stderr)
  t.is(replaying.row('replay_paused').state, 'OK')
  t.is(replaying.row('wal_receiver').state, 'OK')
  t.regex(replaying.row('wal_receiver').detail, /^streaming from 127\.0\.0\.1/)
  t.is(replaying.row('recovery_conflicts').value, 0)
  t.true(replaying.row('replay_lag').value! < 60)

  await standby.pauseReplay()
  t.teardown(() => standby.resumeReplay())
  const paused = await replicationCheck(onStandby)
  t.is(paused.code, 1, paused.stdout + paused.stderr)
  t.is(paused.row('replay_paused').state, 'WARNING')
  t.regex(paused.row('replay_paused').detail, /replay paused at .*pg_wal_replay_resume/)
  const nagios = await runCli([
    'health',
    'check',
    '--db-url',
    onStandby,
    '--only',
    'replay_paused',
    '--format',
    'nagios',
  ])
  t.is(nagios.code, 1)
  t.regex(nagios.stdout, /^POSTGRES WARNING - .*replay_paused WARNING/)
})

test.serial(
  "dashboard --once: the primary's overview lists the standby, the standby's shows its replay lag",
  async (t) => {
    await standby.resumeReplay()
    const overview = async (url: string) => {
      const r = await runCli(['dashboard', '--once', '--format', 'json', '--db-url', url])
      t.is(r.code, 0, r.stderr)
      return (
        JSON.parse(r.stdout) as {
          overview: {
            in_recovery: boolean
            replication_lag_s: number | null
            standbys: Array<{name: string; state: string}>
          }
        }
      ).overview
    }
    const primary = await overview(db.url)
    t.false(primary.in_recovery)
    t.like(
      primary.standbys.find((s) => s.name === standby.name),
      {state: 'streaming'},
    )
    const onReplica = await overview(onStandby)
    t.true(onReplica.in_recovery)
    t.is(typeof onReplica.replication_lag_s, 'number')
  },
)

test.serial('every change on the standby exits 6 with one line and changes nothing', async (t) => {
  await standby.resumeReplay()
  await standby.caughtUp()
  const before = await checksum(db.pg)
  const csv = join(process.env.FLUXADMIN_TEST_DIR!, `standby-onboard-${db.name}.csv`)
  writeFileSync(csv, 'email,name,user_type,role\nnew@example.org,New,client,member\n')
  const bystander = new pg.Client({connectionString: onStandby})
  await bystander.connect()
  t.teardown(() => bystander.end().catch(() => {}))
  const standbyPid = String((await bystander.query('SELECT pg_backend_pid() AS pid')).rows[0].pid)
  const changes = [
    ['orgs', 'create', '--slug', 'east', '--name', 'East', '--type', 'studio'],
    ['orgs', 'update', 'north-high', '--tier', 'pro'],
    ['orgs', 'suspend', 'north-high', '--reason', 'test', '--yes'],
    [
      'users',
      'invite',
      '--email',
      'zed@example.org',
      '--name',
      'Zed',
      '--type',
      'client',
      '--org',
      'north-high',
      '--role',
      'viewer',
    ],
    ['users', 'deactivate', 'ada@example.org', '--yes'],
    ['members', 'add', 'south-uni', 'ada@example.org', '--role', 'admin'],
    ['teams', 'create', '--org', 'north-high', '--slug', 'reeds', '--name', 'Reeds'],
    ['users', 'preferences', 'ada@example.org', '--set', 'display.theme=dark'],
    ['users', 'erase', 'bob@example.org', '--yes'],
    ['orgs', 'purge', 'south-uni', '--yes'],
    ['search', 'accelerate', '--yes'],
    ['sessions', 'revoke', '--user', 'ada@example.org', '--yes'],
    ['sessions', 'purge', '--older-than', '1d', '--yes'],
    ['onboard', csv, '--org', 'north-high', '--yes'],
    ['db', 'migrate'],
    ['stats', 'reset', '--yes'],
    ['stats', 'snapshot'],
    ['stats', 'advise', '--verify', '--yes', '--query', 'SELECT 1'],
    ['backend', 'cancel', standbyPid, '--yes'],
    ['backend', 'terminate', standbyPid, '--yes'],
    ['backup', 'verify', csv],
  ]
  const line = `Error: 127.0.0.1:${standby.port} is a read-only standby; run this against the primary\nHint: connect to the primary; with a list of hosts, add target_session_attrs=read-write to find it\n`
  for (const args of changes) {
    const r = await runCli([...args, '--db-url', onStandby])
    t.is(r.code, 6, `${args.join(' ')}: ${r.stderr}`)
    t.is(r.stderr, line, args.join(' '))
  }
  t.deepEqual(await checksum(db.pg), before)
  t.is(
    (await bystander.query('SELECT 1 AS one')).rows[0].one,
    1,
    "backend cancel|terminate left the standby's session alone",
  )
})

test.serial('through a pooler (no in_hot_standby): the refused write is named the same way', async (t) => {
  const session = await openSession(resolveTarget(onStandby))
  t.teardown(() => session.close())
  const pooled = {...session, server: {...session.server, inHotStandby: undefined}}
  const error = await t.throwsAsync(
    inTransaction(pooled, 'write', (client) => client.query("UPDATE organizations SET name = 'x'")),
  )
  t.is(error?.message, `127.0.0.1:${standby.port} is a read-only standby; run this against the primary`)
  t.is((error as FluxError).exitCode, 6)
})

test.serial(
  'through a real PgBouncer in front of the standby: a change exits 6 with the line, a read works',
  async (t) => {
    if (!pgbouncer) return t.pass('pgbouncer is not installed (.ci/run installs it)')
    const pooled = new URL(onStandby)
    pooled.port = String(await startBouncer(t, standby.port))
    const change = await runCli(['orgs', 'update', 'north-high', '--tier', 'pro', '--db-url', pooled.toString()])
    t.is(change.code, 6, change.stderr)
    t.is(
      change.stderr,
      `Error: 127.0.0.1:${pooled.port} is a read-only standby; run this against the primary\nHint: connect to the primary; with a list of hosts, add target_session_attrs=read-write to find it\n`,
    )
    const read = await runCli(['orgs', 'show', 'north-high', '--db-url', pooled.toString(), '--format', 'json'])
    t.is(read.code, 0, read.stderr)
  },
)

test.serial('read-only commands run on the standby', async (t) => {
  const dir = join(process.env.FLUXADMIN_TEST_DIR!, `standby-backup-${db.name}`)
  const reads = [
    ['reports', 'run', 'tenant-usage', '--format', 'csv'],
    ['search', 'messages', 'hello'],
    ['stats', 'tenants'],
    ['orgs', 'list'],
    ['users', 'show', 'ada@example.org'],
    ['audit', 'list'],
    ['dashboard', '--once', '--format', 'json'],
    ['backup', 'create', '--dir', dir],
    ['orgs', 'export', 'north-high', '--out', join(dir, 'north-high.tar')],
    ['health', 'settings'],
    ['vacuum', 'status'],
    ['stats', 'top'],
  ]
  for (const args of reads) {
    const r = await runCli([...args, '--db-url', onStandby])
    t.is(r.code, 0, `${args.join(' ')}: ${r.stderr}`)
  }
  // Every check's query runs there: a query that failed would be UNKNOWN.
  const health = await runCli(['health', 'check', '--db-url', onStandby, '--format', 'json'])
  const checks = JSON.parse(health.stdout) as CheckJson[]
  t.deepEqual(
    checks.filter((c) => c.state === 'UNKNOWN'),
    [],
  )
  t.like(
    checks.find((c) => c.check === 'checkpoint_age'),
    {
      state: 'OK',
      value: null,
      detail: "a standby: its restartpoints follow the primary's checkpoints (see replay_lag)",
    },
  )
})

/** Locks the table on the primary (WAL-logged): replaying that lock cancels a standby query reading it after max_standby_streaming_delay. */
const lockOnPrimary = () => db.pg.query('BEGIN; LOCK TABLE organizations IN ACCESS EXCLUSIVE MODE; COMMIT')
const sleepingOnStandby = (stop = () => false) =>
  until(
    'the standby query to run',
    async () =>
      stop() ||
      (
        await standby.query(
          "SELECT 1 FROM pg_stat_activity WHERE query LIKE '%pg_sleep(2)%' AND state = 'active' AND pid <> pg_backend_pid()",
        )
      ).rowCount! > 0,
  )

test.serial(
  'a report cancelled by a recovery conflict is retried; one that keeps conflicting is named a replication conflict',
  async (t) => {
    const session = await openSession(resolveTarget(onStandby))
    t.teardown(() => session.close())
    let attempts = 0
    const report = inTransaction(session, 'report', async (client) => {
      attempts++
      return (await client.query('SELECT count(*)::int AS n FROM organizations, pg_sleep(2)')).rows[0].n
    })
    await sleepingOnStandby()
    await lockOnPrimary()
    t.is(await report, 2)
    t.is(attempts, 2)

    attempts = 0
    let settled = false
    const doomed = inTransaction(session, 'report', async (client) => {
      attempts++
      return client.query('SELECT count(*) FROM organizations, pg_sleep(2)')
    }).finally(() => {
      settled = true
    })
    const conflicts = (async () => {
      while (!settled) {
        await sleepingOnStandby(() => settled)
        if (!settled) await lockOnPrimary()
      }
    })()
    const error = await t.throwsAsync(doomed)
    await conflicts
    t.is(attempts, 4)
    t.regex(error!.message, /^replication conflict: the standby cancelled the query 4 times to replay WAL/)
    t.is((error as FluxError).exitCode, 6)
  },
)

test.serial('a stopped standby: the primary reports its slot without a standby', async (t) => {
  await standby.stop()
  let gone: Awaited<ReturnType<typeof replicationCheck>> | undefined
  await until('the primary to miss the standby', async () => {
    gone = await replicationCheck(db.url, '--only', 'standby_gone')
    return gone.row('standby_gone').detail.includes(standby.name)
  })
  t.is(gone!.row('standby_gone').state, 'WARNING')
  t.is(gone!.code, 1)
  t.regex(gone!.row('standby_gone').detail, new RegExp(`no standby on .*${standby.name} \\(holds .* of WAL\\)`))
})
