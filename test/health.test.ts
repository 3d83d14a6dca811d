import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import test from 'ava'
import pg from 'pg'
import {freshDb, type TestDb} from './helpers/db.js'
import {runCli} from './helpers/cli.js'
import {runHealthCheck} from '../src/health/check.js'

interface CheckJson {
  check: string
  state: string
  value: number | null
  unit: string
  warn: number | null
  crit: number | null
  detail: string
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function check(db: TestDb, ...args: string[]) {
  const r = await runCli(['health', 'check', '--db-url', db.url, '--format', 'json', ...args])
  const rows = r.stdout.trim().startsWith('[') ? (JSON.parse(r.stdout) as CheckJson[]) : []
  return {...r, rows, row: (name: string) => rows.find((c) => c.check === name)!}
}

/** The domain function directly: cheaper than a process when only the verdict matters. */
async function verdict(db: TestDb, options: {only: string[]; warn?: string[]; crit?: string[]; db?: string}) {
  const report = await runHealthCheck(() => db.session(), options)
  return {exitCode: report.exitCode, row: (name: string) => report.checks.find((c) => c.check === name)!}
}

async function client(url: string): Promise<pg.Client> {
  const c = new pg.Client({connectionString: url})
  await c.connect()
  c.on('error', () => {})
  return c
}

async function until(fn: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 100; i++) {
    if (await fn()) return
    await sleep(100)
  }
  throw new Error(`timed out waiting for ${what}`)
}

test('blocked_queries: a session holding a lock that blocks another turns WARNING, then CRITICAL, and names both', async (t) => {
  const db = await freshDb(t)
  const ok = await verdict(db, {only: ['blocked_queries'], db: db.name})
  t.is(ok.exitCode, 0)
  t.is(ok.row('blocked_queries').state, 'OK')

  const holder = await client(db.url)
  const waiter = await client(db.url)
  t.teardown(async () => {
    await holder.end().catch(() => {})
    await waiter.end().catch(() => {})
  })
  await holder.query('BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE')
  const holderPid = (await holder.query('SELECT pg_backend_pid() AS pid')).rows[0].pid
  const waiterPid = (await waiter.query('SELECT pg_backend_pid() AS pid')).rows[0].pid
  const blocked = waiter.query('SELECT count(*) FROM users').catch(() => null)
  await until(
    async () =>
      (await db.pg.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'", [waiterPid]))
        .rowCount === 1,
    'the lock wait',
  )
  await sleep(1100)

  const warn = await check(db, '--only', 'blocked_queries', '--warn', 'blocked_queries=1s', '--db', db.name)
  t.is(warn.code, 1, warn.stderr)
  t.is(warn.row('blocked_queries').state, 'WARNING')
  t.true(warn.row('blocked_queries').value! >= 1)
  t.regex(
    warn.row('blocked_queries').detail,
    new RegExp(
      `^1 blocked session\\(s\\); longest: pid ${waiterPid} \\(postgres\\) in ${db.name} from 127\\.0\\.0\\.1:\\d+ blocked by ${holderPid} for \\S+: SELECT count\\(\\*\\) FROM users$`,
    ),
  )

  const crit = await verdict(db, {only: ['blocked_queries'], crit: ['blocked_queries=500ms'], db: db.name})
  t.is(crit.exitCode, 2)
  t.is(crit.row('blocked_queries').state, 'CRITICAL')

  const nagios = await runCli([
    'health',
    'check',
    '--db-url',
    db.url,
    '--only',
    'blocked_queries',
    '--crit',
    'blocked_queries=1s',
    '--format',
    'nagios',
    '--db',
    db.name,
  ])
  t.is(nagios.code, 2)
  t.regex(
    nagios.stdout,
    new RegExp(
      `^POSTGRES CRITICAL - ${db.name}: 1 critical: blocked_queries CRITICAL \\([^)]+\\): 1 blocked session.* \\| 'blocked_queries'=[\\d.]+s;30;1;0\\n$`,
    ),
  )
  await holder.query('ROLLBACK')
  await blocked
})

test('idle_in_transaction: a transaction idle longer than the threshold gives WARNING (exit 1), CRITICAL (exit 2) and a nagios line', async (t) => {
  const db = await freshDb(t)
  const idle = await client(db.url)
  t.teardown(() => idle.end().catch(() => {}))
  t.is((await verdict(db, {only: ['idle_in_transaction'], warn: ['idle_in_transaction=1s'], db: db.name})).exitCode, 0)
  await idle.query('BEGIN; SELECT 1')
  const pid = (await idle.query('SELECT pg_backend_pid() AS pid')).rows[0].pid
  await sleep(1500)
  const warn = await check(db, '--only', 'idle_in_transaction', '--warn', 'idle_in_transaction=1s', '--db', db.name)
  t.is(warn.code, 1, warn.stderr)
  t.is(warn.row('idle_in_transaction').state, 'WARNING')
  t.regex(
    warn.row('idle_in_transaction').detail,
    new RegExp(
      `^1 idle-in-transaction session\\(s\\); longest: pid ${pid} \\(postgres\\) in ${db.name} from 127\\.0\\.0\\.1:\\d+ idle for \\S+ after: SELECT pg_backend_pid\\(\\) AS pid; `,
    ),
  )
  t.is(warn.row('idle_in_transaction').warn, 1)
  t.is(warn.row('idle_in_transaction').crit, 600)

  const crit = await verdict(db, {
    only: ['idle_in_transaction,long_transactions'],
    warn: ['idle_in_transaction=500ms'],
    crit: ['idle_in_transaction=1s'],
    db: db.name,
  })
  t.is(crit.exitCode, 2)
  t.is(crit.row('idle_in_transaction').state, 'CRITICAL')
  t.is(crit.row('long_transactions').state, 'OK')
  t.true(crit.row('long_transactions').value! >= 1.5)

  const nagios = await runCli([
    'health',
    'check',
    '--db-url',
    db.url,
    '--only',
    'idle_in_transaction',
    '--warn',
    'idle_in_transaction=1s',
    '--format',
    'nagios',
    '--db',
    db.name,
  ])
  t.is(nagios.code, 1)
  t.regex(
    nagios.stdout,
    /^POSTGRES WARNING - t_\w+: 1 warning: idle_in_transaction WARNING \([^)]+\): 1 idle-in-transaction session\(s\).* \| 'idle_in_transaction'=[\d.]+s;1;600;0\n$/,
  )
  await idle.query('ROLLBACK')
})

test('a --db that names no database makes the activity checks UNKNOWN (exit 3), not a silent OK', async (t) => {
  const db = await freshDb(t)
  const idle = await client(db.url)
  t.teardown(() => idle.end().catch(() => {}))
  await idle.query('BEGIN; SELECT 1')
  await sleep(1100)
  const typo = await check(db, '--only', 'activity', '--warn', 'idle_in_transaction=1s', '--db', `${db.name}_typo`)
  t.is(typo.code, 3, typo.stderr)
  t.deepEqual(
    typo.rows.map((r) => [r.check, r.state]),
    [
      ['long_transactions', 'UNKNOWN'],
      ['idle_in_transaction', 'UNKNOWN'],
      ['blocked_queries', 'UNKNOWN'],
      ['blocked_sessions', 'UNKNOWN'],
    ],
  )
  t.regex(
    typo.row('idle_in_transaction').detail,
    new RegExp(`^no database "${db.name}_typo" on this server: --db names`),
  )
  const right = await check(db, '--only', 'activity', '--warn', 'idle_in_transaction=1s', '--db', db.name)
  t.is(right.row('idle_in_transaction').state, 'WARNING')
  await idle.query('ROLLBACK')
})

test('dead_tuples and autovacuum: many dead tuples on a table with autovacuum disabled turn CRITICAL and WARNING; vacuum status explains', async (t) => {
  const db = await freshDb(t)
  await db.pg.query(`CREATE TABLE churn (id int, pad text) WITH (autovacuum_enabled = false);
    CREATE TABLE tuned (id int) WITH (autovacuum_vacuum_threshold = 10, autovacuum_vacuum_scale_factor = 0, autovacuum_analyze_threshold = 7, autovacuum_analyze_scale_factor = 0);
    INSERT INTO churn SELECT g, repeat('x', 50) FROM generate_series(1, 5000) g;
    DELETE FROM churn WHERE id > 1000`)
  await db.pg.query('SELECT pg_stat_force_next_flush()')
  await db.pg.query('SELECT 1')
  await until(
    async () =>
      Number(
        (await db.pg.query("SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'churn'")).rows[0]?.n_dead_tup,
      ) === 4000,
    'dead tuple statistics',
  )

  const dead = await check(db, '--only', 'dead_tuples,autovacuum')
  t.is(dead.code, 2, dead.stderr)
  t.is(dead.row('dead_tuples').state, 'CRITICAL')
  t.is(dead.row('dead_tuples').value, 80)
  t.regex(
    dead.row('dead_tuples').detail,
    /^public\.churn: 4000 dead of 5000 tuples, autovacuum disabled, last vacuum never; VACUUM it/,
  )
  t.is(dead.row('autovacuum').state, 'WARNING')
  t.regex(dead.row('autovacuum').detail, /disabled on churn/)
  const raised = await verdict(db, {only: ['dead_tuples'], warn: ['dead_tuples=70%'], crit: ['dead_tuples=90']})
  t.is(raised.exitCode, 1)

  const status = await runCli(['vacuum', 'status', '--db-url', db.url, '--sort', 'dead', '--format', 'json'])
  t.is(status.code, 0, status.stderr)
  const rows = JSON.parse(status.stdout)
  t.like(rows[0], {
    table_name: 'public.churn',
    live_tuples: 1000,
    dead_tuples: 4000,
    dead_ratio: 80,
    autovacuum_enabled: false,
    vacuum_due: false,
    vacuum_count: 0,
    due_reason: 'over threshold but autovacuum disabled',
  })
  const tuned = rows.find((r: {table_name: string}) => r.table_name === 'public.tuned')
  t.like(tuned, {vacuum_threshold: 10, analyze_threshold: 7, autovacuum_enabled: true})
  const byVacuum = JSON.parse(
    (
      await runCli([
        'vacuum',
        'status',
        '--db-url',
        db.url,
        '--sort',
        'last-vacuum',
        '--table',
        'churn',
        '--format',
        'json',
      ])
    ).stdout,
  )
  t.deepEqual(
    byVacuum.map((r: {table_name: string}) => r.table_name),
    ['public.churn'],
  )

  await db.pg.query('VACUUM churn')
  await db.pg.query('SELECT pg_stat_force_next_flush()')
  await until(
    async () =>
      Number(
        (await db.pg.query("SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'churn'")).rows[0]?.n_dead_tup,
      ) === 0,
    'vacuum statistics',
  )
  const after = await verdict(db, {only: ['dead_tuples']})
  t.is(after.exitCode, 0)
  t.is(after.row('dead_tuples').detail, 'no table with 1000 or more dead tuples')
})

test('sequences: a sequence near its maximum is CRITICAL at 95% and WARNING with a raised threshold', async (t) => {
  const db = await freshDb(t)
  await db.pg.query("CREATE SEQUENCE ticket_seq MAXVALUE 100; SELECT setval('ticket_seq', 95)")
  const crit = await check(db, '--only', 'sequences')
  t.is(crit.code, 2, crit.stderr)
  t.like(crit.row('sequences'), {state: 'CRITICAL', value: 94.95, unit: 'percent', warn: 75, crit: 90})
  t.regex(crit.row('sequences').detail, /^public\.ticket_seq: 95 of 100 \(bigint\); move it to bigint or restart it/)
  const warn = await verdict(db, {only: ['sequences'], crit: ['sequences=99%']})
  t.is(warn.exitCode, 1)
  t.is(warn.row('sequences').state, 'WARNING')
})

test('invalid_indexes: a failed CREATE UNIQUE INDEX CONCURRENTLY on duplicate data is reported', async (t) => {
  const db = await freshDb(t)
  t.is((await verdict(db, {only: ['invalid_indexes']})).exitCode, 0)
  await db.pg.query("CREATE TABLE codes (code text); INSERT INTO codes VALUES ('a'), ('a')")
  await t.throwsAsync(db.pg.query('CREATE UNIQUE INDEX CONCURRENTLY codes_code_key ON codes (code)'), {
    message: /could not create unique index/,
  })
  const r = await check(db, '--only', 'invalid_indexes')
  t.is(r.code, 1, r.stderr)
  t.like(r.row('invalid_indexes'), {state: 'WARNING', value: 1})
  t.is(r.row('invalid_indexes').detail, 'invalid: public.codes_code_key on codes; drop and recreate them')
})

test('a server that is down gives 2 CRITICAL in every format, and no hint about the sandbox when the target was given', async (t) => {
  const url = 'postgres://nobody:pw@127.0.0.1:1/nowhere'
  const json = await runCli(['health', 'check', '--db-url', url, '--format', 'json'])
  t.is(json.code, 2)
  const rows = JSON.parse(json.stdout)
  t.is(rows.length, 1)
  t.like(rows[0], {check: 'connection', state: 'CRITICAL', value: null})
  t.regex(rows[0].detail, /cannot connect to PostgreSQL at 127\.0\.0\.1:1\/nowhere: connection refused/)
  t.notRegex(json.stdout + json.stderr, /pw@|sandbox/)
  const nagios = await runCli(['health', 'check', '--db-url', url, '--format', 'nagios'])
  t.is(nagios.code, 2)
  t.regex(
    nagios.stdout,
    /^POSTGRES CRITICAL - 1 critical: connection CRITICAL: cannot connect to PostgreSQL.* \| 'connection'=0s;1;5;0\n$/,
  )
  t.notRegex(nagios.stdout, /sandbox/)
  const prom = await runCli(['health', 'check', '--db-url', url, '--format', 'prometheus'])
  t.is(prom.code, 2)
  t.regex(prom.stdout, /^fluxadmin_health_up 0$/m)
  t.regex(prom.stdout, /^fluxadmin_health_status 2$/m)
  t.regex(prom.stdout, /^fluxadmin_health_check_status\{check="connection"\} 2$/m)
  t.regex(prom.stdout, /^fluxadmin_health_check_value\{check="connection",unit="seconds"\} 0$/m)
  const cron = await runCli(['health', 'check'], {env: {FLUXADMIN_DB_URL: url, FLUXADMIN_HEALTH_FORMAT: 'nagios'}})
  t.is(cron.code, 2)
  t.regex(cron.stdout, /^POSTGRES CRITICAL - /)
  t.notRegex(cron.stdout, /sandbox/)
  const app = await runCli(['health', 'app', '--db-url', url, '--format', 'csv'])
  t.is(app.code, 2)
  t.regex(app.stdout, /^check,state,value,unit,warn,crit,detail\nconnection,CRITICAL,,seconds,1,5,/)
})

test('prometheus exposition, --out, and usage errors for unknown checks and bad thresholds', async (t) => {
  const db = await freshDb(t)
  const prom = await runCli([
    'health',
    'check',
    '--db-url',
    db.url,
    '--only',
    'server,invalid_indexes',
    '--skip',
    'pg_stat_statements,statement_timeout',
    '--format',
    'prometheus',
  ])
  t.true([0, 1, 2].includes(prom.code), prom.stderr)
  t.regex(prom.stdout, /^# TYPE fluxadmin_health_check_status gauge$/m)
  t.regex(prom.stdout, new RegExp(`^fluxadmin_health_up\\{database="${db.name}"\\} 1$`, 'm'))
  t.regex(
    prom.stdout,
    new RegExp(`^fluxadmin_health_check_status\\{database="${db.name}",check="invalid_indexes"\\} 0$`, 'm'),
  )
  t.regex(
    prom.stdout,
    new RegExp(
      `^fluxadmin_health_check_value\\{database="${db.name}",check="connections",unit="percent"\\} [\\d.]+$`,
      'm',
    ),
  )
  t.notRegex(prom.stdout, /check="pg_stat_statements"|check="long_transactions"/)
  for (const line of prom.stdout.trim().split('\n')) t.regex(line, /^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? -?[\d.]+)$/)

  const file = join(mkdtempSync(join(tmpdir(), 'fluxadmin-health-')), 'fluxadmin.prom')
  const toFile = await runCli([
    'health',
    'check',
    '--db-url',
    db.url,
    '--only',
    'invalid_indexes',
    '--format',
    'prometheus',
    '--out',
    file,
  ])
  t.is(toFile.code, 0, toFile.stderr)
  t.is(toFile.stdout, '')
  t.regex(readFileSync(file, 'utf8'), /^fluxadmin_health_status\{database="t_\w+"\} 0$/m)

  const bad = await runCli(['health', 'check', '--db-url', db.url, '--warn', 'bogus=1'])
  t.is(bad.code, 2)
  t.regex(bad.stderr, /^Error: unknown check "bogus" in --warn\nHint: checks: connection, connections,/)
  const badValue = await runCli(['health', 'check', '--db-url', db.url, '--warn', 'connections=150%'])
  t.is(badValue.code, 2)
  t.regex(badValue.stderr, /Hint: use a percentage from 0 to 100/)
  const noThreshold = await runCli(['health', 'check', '--db-url', db.url, '--crit', 'autovacuum=1'])
  t.is(noThreshold.code, 2)
  t.regex(noThreshold.stderr, /check autovacuum has no thresholds/)
})

test('health app: live tokens of a suspended organization, inactive members, several latest files and an unindexed foreign key', async (t) => {
  const db = await freshDb(t)
  const clean = await runCli(['health', 'app', '--db-url', db.url, '--format', 'json'])
  t.is(clean.code, 0, clean.stdout + clean.stderr)
  t.is(JSON.parse(clean.stdout).length, 10)
  await db.pg.query(`
    INSERT INTO users (id, email, name, user_type, is_active) VALUES
      ('00000000-0000-0000-0000-000000000001', 'a@x.test', 'A', 'client', true),
      ('00000000-0000-0000-0000-000000000002', 'b@x.test', 'B', 'client', false);
    INSERT INTO organizations (id, name, slug, type, subscription_status) VALUES ('00000000-0000-0000-0000-0000000000a1', 'Gone', 'gone', 'independent', 'suspended');
    INSERT INTO organization_members (organization_id, user_id) VALUES
      ('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-000000000001'),
      ('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-000000000002');
    INSERT INTO refresh_tokens (user_id, token_hash, expires_at, revoked_at) VALUES
      ('00000000-0000-0000-0000-000000000001', 'live', now() + interval '1 day', NULL),
      ('00000000-0000-0000-0000-000000000001', 'old', now() - interval '1 day', NULL),
      ('00000000-0000-0000-0000-000000000001', 'revoked', now() + interval '1 day', now());
    INSERT INTO files (id, name, original_name, file_path, file_url, mime_type, file_size, organization_id, uploaded_by, is_latest, parent_file_id) VALUES
      ('00000000-0000-0000-0000-0000000000f1', 'v1', 'v1', '/v1', 'u', 'text/plain', 1, '00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-000000000001', true, NULL),
      ('00000000-0000-0000-0000-0000000000f2', 'v2', 'v2', '/v2', 'u', 'text/plain', 1, '00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-000000000001', true, '00000000-0000-0000-0000-0000000000f1');
    CREATE TABLE invoices (id int PRIMARY KEY, organization_id uuid REFERENCES organizations (id));`)
  const r = await runCli(['health', 'app', '--db-url', db.url, '--format', 'json', '--warn', 'app_stale_tokens=1'])
  t.is(r.code, 1, r.stderr)
  const rows = Object.fromEntries(JSON.parse(r.stdout).map((c: CheckJson) => [c.check, c]))
  t.like(rows.app_suspended_org_tokens, {state: 'WARNING', value: 1})
  t.regex(rows.app_suspended_org_tokens.detail, /1 live token\(s\) of 1 user\(s\) in suspended organization\(s\) gone/)
  t.like(rows.app_stale_tokens, {state: 'WARNING', value: 2})
  t.like(rows.app_inactive_members, {state: 'WARNING', value: 1})
  t.like(rows.app_ownerless_orgs, {
    state: 'WARNING',
    value: 1,
    detail:
      '1 organization(s) without an owner: gone; make a member owner with `fluxadmin members set-role ORG USER owner`',
  })
  t.like(rows.app_multiple_latest_files, {state: 'WARNING', value: 1})
  t.like(rows.app_org_id_unindexed, {
    state: 'WARNING',
    value: 1,
    detail: 'no index leading on organization_id: invoices',
  })
  t.like(rows.app_fk_unindexed, {
    state: 'WARNING',
    value: 1,
    detail: '1 foreign key(s) without an index: invoices (organization_id)',
  })
})

test('health settings reports statement_timeout as differing until the database sets it; the check follows', async (t) => {
  const db = await freshDb(t)
  const before = await runCli(['health', 'settings', '--db-url', db.url, '--format', 'json'])
  t.is(before.code, 0, before.stderr)
  const row = (out: string) => JSON.parse(out).find((r: {name: string}) => r.name === 'statement_timeout')
  t.like(row(before.stdout), {current: '0ms', recommended: '30s', differs: true})
  t.is((await verdict(db, {only: ['statement_timeout']})).exitCode, 1)
  await db.pg.query(`ALTER DATABASE ${db.name} SET statement_timeout = '20s'`)
  const after = await runCli(['health', 'settings', '--db-url', db.url, '--format', 'json'])
  t.like(row(after.stdout), {current: '20000ms', differs: false, source: 'database'})
  const ok = await verdict(db, {only: ['statement_timeout']})
  t.is(ok.exitCode, 0)
  t.is(ok.row('statement_timeout').detail, 'statement_timeout = 20000ms for new sessions')
})
