import test from 'ava'
import pg from 'pg'
import {runCli} from './helpers/cli.js'
import {dedicatedCluster, type DedicatedCluster} from './helpers/cluster.js'

// Faults that need restart-level settings or hold the xmin horizon (which would disturb other test
// files on the shared server) run on small clusters of their own: a stock one and a faulty one.
interface CheckJson {
  check: string
  state: string
  value: number | null
  warn: number | null
  crit: number | null
  detail: string
}

let stock: DedicatedCluster
let faulty: DedicatedCluster
const clients: pg.Client[] = []

test.before(async () => {
  ;[stock, faulty] = await Promise.all([
    dedicatedCluster('health-stock'),
    dedicatedCluster('health-faulty', {
      archive_mode: 'on',
      archive_command: "'false'",
      max_prepared_transactions: 10,
      autovacuum_freeze_max_age: 100_000,
      autovacuum_multixact_freeze_max_age: 10_000,
      autovacuum_naptime: '1s',
    }),
  ])
})

test.after.always(async () => {
  await Promise.all(clients.map((c) => c.end().catch(() => {})))
  await Promise.all([stock?.stop(), faulty?.stop()])
})

async function client(url: string): Promise<pg.Client> {
  const c = new pg.Client({connectionString: url})
  await c.connect()
  c.on('error', () => {})
  clients.push(c)
  return c
}

async function check(url: string, ...args: string[]) {
  const r = await runCli(['health', 'check', '--db-url', url, '--format', 'json', ...args])
  const rows = r.stdout.trim().startsWith('[') ? (JSON.parse(r.stdout) as CheckJson[]) : []
  return {...r, rows, row: (name: string) => rows.find((c) => c.check === name)!}
}

async function until(fn: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 300; i++) {
    if (await fn()) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`timed out waiting for ${what}`)
}

test.serial(
  'a stock server is OK (exit 0); settings advice pages only with --include settings; autovacuum = off is CRITICAL',
  async (t) => {
    const ok = await check(stock.url())
    t.is(ok.code, 0, JSON.stringify(ok.rows.filter((r) => r.state !== 'OK')) + ok.stderr)
    t.true(ok.rows.every((r) => r.state === 'OK'))
    t.false(
      ok.rows.some(
        (r) => r.check === 'statement_timeout' || r.check === 'pg_stat_statements' || r.check.startsWith('pgbouncer'),
      ),
    )
    t.like(ok.row('archiver'), {state: 'OK', detail: 'archiving off'})
    t.like(ok.row('replication_slots'), {value: 0, detail: 'no replication slots'})

    const nagios = await runCli(['health', 'check', '--db-url', stock.url(), '--format', 'nagios'])
    t.is(nagios.code, 0, nagios.stdout)
    const perf = nagios.stdout.split(' | ')[1].trim().split(' ')
    t.is(perf.length, ok.rows.length, 'every check has perfdata, 0 when it measured nothing')
    t.true(perf.includes("'replication_lag'=0s;60;300;0"))

    const advice = await check(stock.url(), '--include', 'settings')
    t.is(advice.code, 1)
    t.like(advice.row('statement_timeout'), {state: 'WARNING', value: 0})

    const admin = await client(stock.url())
    await admin.query('ALTER SYSTEM SET autovacuum = off')
    await admin.query('SELECT pg_reload_conf()')
    t.teardown(async () => {
      await admin.query('ALTER SYSTEM RESET autovacuum')
      await admin.query('SELECT pg_reload_conf()')
    })
    await until(
      async () => (await check(stock.url(), '--only', 'autovacuum')).code === 2,
      'autovacuum = off to be seen',
    )
    const off = await check(stock.url(), '--only', 'autovacuum')
    t.like(off.row('autovacuum'), {state: 'CRITICAL', detail: 'autovacuum = off'})
  },
)

test.serial(
  'archiver: archive_command failing is CRITICAL with the failed segment; pg_wal size pages against a threshold',
  async (t) => {
    const admin = await client(faulty.url())
    await admin.query(
      "CREATE TABLE wal_fill (id int, pad text); INSERT INTO wal_fill SELECT g, repeat('w', 200) FROM generate_series(1, 20000) g; SELECT pg_switch_wal()",
    )
    await until(
      async () => Number((await admin.query('SELECT failed_count FROM pg_stat_archiver')).rows[0].failed_count) > 0,
      'the archiver to fail',
    )
    const r = await check(faulty.url(), '--only', 'archiver,wal_size', '--warn', 'wal_size=1MB')
    t.is(r.code, 2, r.stderr)
    const archiver = r.row('archiver')
    t.is(archiver.state, 'CRITICAL')
    t.true(archiver.value! >= 1)
    t.regex(
      archiver.detail,
      /^\d+ segment\(s\) waiting; archive_command failing: last failure [0-9A-F]{24} at .+ \(\d+ failures since the last success at never\); fix archive_command/,
    )
    const wal = r.row('wal_size')
    t.is(wal.state, 'WARNING')
    t.true(wal.value! >= 16 * 1024 * 1024)
    t.is(wal.warn, 1024 * 1024)
    t.is(wal.crit, 4 * (1024 + 0) * 1024 * 1024, 'default critical: 4 x (max_wal_size + wal_keep_size)')
  },
)

test.serial('checkpoints: requested checkpoints over the threshold once there are enough of them', async (t) => {
  const admin = await client(faulty.url())
  await admin.query("SELECT pg_stat_reset_shared('bgwriter')")
  const few = await check(faulty.url(), '--only', 'checkpoints')
  t.like(few.row('checkpoints'), {state: 'OK', value: null})
  t.regex(few.row('checkpoints').detail, /^0 requested, 0 timed since /)
  for (let i = 0; i < 10; i++) await admin.query('CHECKPOINT')
  const r = await check(faulty.url(), '--only', 'checkpoints')
  t.is(r.code, 2, r.stderr)
  t.like(r.row('checkpoints'), {state: 'CRITICAL', value: 100})
  t.regex(
    r.row('checkpoints').detail,
    /^10 requested, 0 timed since .+; many requested checkpoints mean max_wal_size \(1GB\) is too small/,
  )
})

test.serial(
  'checkpoint_age: a primary that wrote nothing since its checkpoint is not measured; one that writes is, against 3 and 6 x checkpoint_timeout',
  async (t) => {
    const admin = await client(stock.url())
    await admin.query('CHECKPOINT')
    const idle = await check(stock.url(), '--only', 'checkpoint_age')
    t.like(idle.row('checkpoint_age'), {state: 'OK', value: null, warn: 900, crit: 1800})
    t.regex(
      idle.row('checkpoint_age').detail,
      /^\d+ bytes of WAL written since the last checkpoint, .+ ago: nothing for a checkpoint to do$/,
    )
    await admin.query(
      "CREATE TABLE checkpoint_fill (id int, pad text); INSERT INTO checkpoint_fill SELECT g, repeat('w', 200) FROM generate_series(1, 100000) g",
    )
    t.teardown(() => admin.query('DROP TABLE checkpoint_fill'))
    await new Promise((r) => setTimeout(r, 1100))
    const r = await check(stock.url(), '--only', 'checkpoint_age', '--warn', 'checkpoint_age=1s')
    t.is(r.code, 1, r.stderr)
    t.like(r.row('checkpoint_age'), {state: 'WARNING', warn: 1, crit: 1800})
    t.true(r.row('checkpoint_age').value! >= 1)
    t.regex(
      r.row('checkpoint_age').detail,
      /^last checkpoint began .+ ago \(redo [0-9A-F]+\/[0-9A-F]+\), \d+ MB of WAL written since, checkpoint_timeout 5min; /,
    )
  },
)

test.serial(
  'a prepared transaction holding the horizon: prepared_transactions, freeze_age past autovacuum_freeze_max_age, mxid_freeze_age, and the prepared transaction named as the blocker',
  async (t) => {
    const admin = await client(faulty.url())
    await admin.query('CREATE TABLE held (id int PRIMARY KEY); INSERT INTO held VALUES (1)')
    // A multixact the prepared transaction is a member of: another session share-locks the row first.
    const first = await client(faulty.url())
    await first.query('BEGIN; SELECT * FROM held WHERE id = 1 FOR SHARE')
    const prep = await client(faulty.url())
    await prep.query(
      "BEGIN; INSERT INTO held VALUES (2); SELECT * FROM held WHERE id = 1 FOR SHARE; LOCK TABLE held IN SHARE MODE; PREPARE TRANSACTION 'fa-held'",
    )
    t.teardown(() => admin.query("ROLLBACK PREPARED 'fa-held'").catch(() => {}))
    await first.query('COMMIT')

    await admin.query('DO $$ BEGIN FOR i IN 1..101000 LOOP PERFORM pg_current_xact_id(); COMMIT; END LOOP; END $$')
    await admin.query(
      'DO $$ BEGIN FOR i IN 1..10500 LOOP PERFORM 1 FROM held WHERE id = 1 FOR SHARE; COMMIT; END LOOP; END $$',
    )

    const waiter = await client(faulty.url())
    const waiterPid = (await waiter.query('SELECT pg_backend_pid() AS pid')).rows[0].pid
    const blocked = waiter.query('INSERT INTO held VALUES (3)').catch(() => null)
    await until(
      async () =>
        (await admin.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'", [waiterPid]))
          .rowCount === 1,
      'the lock wait',
    )

    const r = await check(
      faulty.url(),
      '--only',
      'prepared_transactions,freeze_age,mxid_freeze_age,blocked_queries,xid_wraparound',
      '--warn',
      'prepared_transactions=0s,blocked_queries=0s',
    )
    t.is(r.code, 2, r.stderr)
    t.is(r.row('prepared_transactions').state, 'WARNING')
    t.regex(
      r.row('prepared_transactions').detail,
      /^1 prepared transaction\(s\); oldest: 'fa-held' \(owner postgres, database postgres\) prepared .+ ago; COMMIT PREPARED or ROLLBACK PREPARED/,
    )
    const freeze = r.row('freeze_age')
    t.is(freeze.state, 'CRITICAL')
    t.true(freeze.value! > 100, `xid age past autovacuum_freeze_max_age: ${freeze.value}%`)
    t.regex(
      freeze.detail,
      /^databases: \w+ 1\d\d\.\d%.*; next tables here: .+ 1\d\d\.\d%.*autovacuum_freeze_max_age 100000/,
    )
    t.is(r.row('xid_wraparound').state, 'OK', 'the 2^31 share alone would say OK')
    const mxid = r.row('mxid_freeze_age')
    t.is(mxid.state, 'CRITICAL')
    t.true(mxid.value! > 100, `multixact age past autovacuum_multixact_freeze_max_age: ${mxid.value}%`)
    // The INSERT waits, and so does autovacuum's anti-wraparound run on the table the prepared transaction locked.
    t.regex(
      r.row('blocked_queries').detail,
      new RegExp(
        `^\\d blocked session\\(s\\); longest: pid \\d+ \\(.*\\) in postgres from (?:[\\d.:]+|local) blocked by prepared transaction 'fa-held' \\(owner postgres, database postgres, prepared .+ ago; COMMIT PREPARED or ROLLBACK PREPARED it\\)`,
      ),
    )

    const locks = await runCli(['locks', '--blocking', '--db-url', faulty.url(), '--format', 'json'])
    t.is(locks.code, 0, locks.stderr)
    const tree = JSON.parse(locks.stdout) as Array<{
      pid: number
      depth: number
      tree: string
      prepared_gid: string | null
      user: string
      database: string
      xact_age_s: number
      blocked_by: number[]
    }>
    t.like(tree[0], {
      pid: 0,
      depth: 0,
      tree: 'prepared fa-held',
      prepared_gid: 'fa-held',
      user: 'postgres',
      database: 'postgres',
    })
    t.true(tree[0].xact_age_s > 0)
    t.like(
      tree.find((r) => r.pid === waiterPid),
      {depth: 1, tree: `└─ ${waiterPid}`, blocked_by: [0]},
    )

    await admin.query("ROLLBACK PREPARED 'fa-held'")
    await blocked
    const after = await check(faulty.url(), '--only', 'prepared_transactions')
    t.like(after.row('prepared_transactions'), {state: 'OK', value: 0, detail: 'no prepared transactions'})
  },
)
