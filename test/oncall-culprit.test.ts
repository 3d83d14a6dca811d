import test from 'ava'
import {runCli} from './helpers/cli.js'
import {freshDb} from './helpers/db.js'
import {connect, lockPileUp, until} from './helpers/sessions.js'

const json = async (args: string[]) => {
  const r = await runCli([...args, '--format', 'json'])
  return {...r, rows: r.stdout ? JSON.parse(r.stdout) : []}
}
const check = (rows: Array<{check: string}>, name: string) =>
  rows.find((r) => r.check === name) as {state: string; value: number; detail: string} | undefined

test('xmin holder: a REPEATABLE READ snapshot left idle; vacuum blockers names its pid and health check links it to the dead tuples', async (t) => {
  const db = await freshDb(t)
  await db.pg.query(
    'CREATE TABLE churn (id int PRIMARY KEY, n int); INSERT INTO churn SELECT g, 0 FROM generate_series(1, 4000) g',
  )
  const holder = await connect(t, db, 'report-job')
  await holder.client.query('BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM churn')
  // Churn: 1500 transactions, and 3000 rows deleted that VACUUM may not remove while the snapshot lives.
  await db.pg.query('DO $$BEGIN FOR i IN 1..1500 LOOP PERFORM txid_current(); COMMIT; END LOOP; END$$')
  await db.pg.query('DELETE FROM churn WHERE id <= 3000')
  await db.pg.query('VACUUM churn')
  await until(
    async () =>
      Number(
        (await db.pg.query("SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'churn'")).rows[0].n_dead_tup,
      ) >= 3000,
    'dead tuples that VACUUM kept',
  )
  const url = ['--db-url', db.url]

  const blockers = await json(['vacuum', 'blockers', ...url])
  t.is(blockers.code, 0, blockers.stderr)
  // Other tests' sessions may be older: this one is found by its pid.
  const oldest = blockers.rows.find((b: {pid: number}) => b.pid === holder.pid)
  t.like(oldest, {
    kind: 'session',
    pid: holder.pid,
    name: 'report-job',
    database: db.name,
    state: 'idle in transaction',
    this_database: true,
  })
  t.true(oldest.xmin_age >= 1500, `xmin_age ${oldest.xmin_age}`)
  t.true(oldest.held_s >= 0)

  const health = await json([
    'health',
    'check',
    '--only',
    'dead_tuples,xmin_horizon,long_transactions',
    '--warn',
    'xmin_horizon=1000',
    '--db',
    db.name,
    ...url,
  ])
  const dead = check(health.rows, 'dead_tuples')!
  t.is(dead.state, 'CRITICAL')
  t.regex(
    dead.detail,
    new RegExp(
      `^public\\.churn: \\d+ dead of \\d+ tuples, .*; VACUUM cannot remove rows deleted after the xmin horizon, and pid ${holder.pid} \\(user \\w+, application report-job, database ${db.name}, idle in transaction\\) holds it 1,5\\d\\d transactions back \\([\\d.]+s\\): BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count\\(\\*\\) FROM churn; end it: \`fluxadmin backend terminate ${holder.pid}\`$`,
    ),
  )
  const horizon = check(health.rows, 'xmin_horizon')!
  t.is(horizon.state, 'WARNING', 'over the --warn of 1000 transactions')
  t.regex(horizon.detail, new RegExp(`oldest: pid ${holder.pid} `))
  t.is(check(health.rows, 'long_transactions')!.state, 'OK', 'below its 5 minutes: only the horizon check sees it')
  t.is(health.code, 2)

  await holder.client.query('COMMIT')
  const after = await json(['health', 'check', '--only', 'xmin_horizon', '--db', db.name, ...url])
  t.false(
    check(after.rows, 'xmin_horizon')!.detail.includes(`pid ${holder.pid} `),
    'the holder is gone once it commits',
  )
})

test('vacuum blockers lists a prepared transaction and a replication slot, with their ages', async (t) => {
  const db = await freshDb(t)
  const slot = `fa_slot_${db.name}`
  const prepared = await connect(t, db)
  await prepared.client.query(`BEGIN; SELECT txid_current(); PREPARE TRANSACTION '${slot}_gid'`)
  t.teardown(async () => {
    await db.pg.query(`ROLLBACK PREPARED '${slot}_gid'`).catch(() => {})
  })
  // A physical slot reserving WAL has no xmin until a standby sends feedback: a logical one has a catalog_xmin at once.
  await db.pg
    .query('SELECT pg_create_logical_replication_slot($1, $2)', [slot, 'test_decoding'])
    .catch(() => t.log('no wal_level=logical: the slot is not tried'))
  t.teardown(async () => {
    await db.pg.query('SELECT pg_drop_replication_slot($1) FROM pg_replication_slots WHERE slot_name = $1', [slot])
  })
  await db.pg.query('DO $$BEGIN FOR i IN 1..20 LOOP PERFORM txid_current(); COMMIT; END LOOP; END$$')
  const r = await json(['vacuum', 'blockers', '--db-url', db.url])
  t.is(r.code, 0, r.stderr)
  const gid = r.rows.find(
    (b: {kind: string; name: string}) => b.kind === 'prepared_transaction' && b.name === `${slot}_gid`,
  )
  t.like(gid, {pid: null, database: db.name, state: 'prepared', this_database: true})
  t.true(gid.xmin_age >= 20 && gid.held_s >= 0)
  const logical = (await db.pg.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1', [slot])).rowCount
  if (logical)
    t.like(
      r.rows.find((b: {kind: string; name: string}) => b.kind === 'replication_slot' && b.name === slot),
      {xmin_age: null, this_database: true},
    )
})

test('blocked_sessions: 10 sessions behind one lock are CRITICAL, with the root named; thresholds as other checks', async (t) => {
  const db = await freshDb(t)
  const {holder, waiters} = await lockPileUp(t, db, 'projects')
  await until(
    async () =>
      (
        await db.pg.query(
          "SELECT min(clock_timestamp() - waitstart) >= interval '1.1 s' AS long FROM pg_locks WHERE pid = ANY ($1) AND NOT granted",
          [waiters.map((w) => w.pid)],
        )
      ).rows[0].long,
    'waits of a second',
  )
  const url = ['--db-url', db.url, '--only', 'blocked_sessions', '--db', db.name]
  const critical = await json(['health', 'check', ...url])
  t.like(check(critical.rows, 'blocked_sessions'), {state: 'CRITICAL', value: 10})
  t.regex(
    check(critical.rows, 'blocked_sessions')!.detail,
    new RegExp(`^10 session\\(s\\) wait for a lock; at the root: pid ${holder.pid} `),
  )
  t.is(critical.code, 2)
  const raised = await json([
    'health',
    'check',
    ...url,
    '--warn',
    'blocked_sessions=9',
    '--crit',
    'blocked_sessions=20',
  ])
  t.like(check(raised.rows, 'blocked_sessions'), {state: 'WARNING', value: 10})
  const nagios = await runCli(['health', 'check', ...url, '--format', 'nagios'])
  t.regex(nagios.stdout, /'blocked_sessions'=10;1;5;0/)
  await holder.client.query('ROLLBACK')
  await until(
    async () =>
      (
        await db.pg.query(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()",
        )
      ).rows[0].n === 0,
    'the waiters to go on',
  )
  t.like(check((await json(['health', 'check', ...url])).rows, 'blocked_sessions'), {state: 'OK', value: 0})
})
