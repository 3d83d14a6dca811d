// Bad input is exit 2 with one line, refused before the server (issue 13, items 3, 9-13, 15, 22).
import test from 'ava'
import pg from 'pg'
import {parseSince} from '../src/util/time.js'
import {encodeCursor} from '../src/input/keyset-cursor.js'
import {runCli, type CliResult} from './helpers/cli.js'
import type {TestDb} from './helpers/db.js'
import {checksum, fileDb, fixture} from './tenants-fixtures.js'

const getDb = fileDb(test, async (d) => {
  await fixture(d.pg)
})
let db: TestDb
test.beforeEach(() => {
  db = getDb()
})

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli([...args, '--db-url', db.url], {env})

function usage(
  t: {
    is(a: unknown, b: unknown, m?: string): void
    regex(s: string, r: RegExp, m?: string): void
    notRegex(s: string, r: RegExp, m?: string): void
  },
  r: CliResult,
  message: RegExp,
) {
  t.is(r.code, 2, r.stderr)
  t.regex(r.stderr, message)
  t.notRegex(r.stderr, /DeprecationWarning|NaN|\n\s+at /)
}

test('impossible calendar dates are refused, real ones (29 February of a leap year) accepted', async (t) => {
  for (const date of [
    '2026-02-30',
    '2026-04-31',
    '2026-02-29',
    '2026-13-01',
    '2026-01-31 24:00',
    '2026-01-31T12:60',
    '0000-01-01',
  ]) {
    t.throws(() => parseSince(date, '--until'), {message: new RegExp(`^invalid --until "${date}"$`)}, date)
  }
  t.is(parseSince('2024-02-29').toISOString(), '2024-02-29T00:00:00.000Z')
  t.is(parseSince('2026-04-30T23:59:59Z').toISOString(), '2026-04-30T23:59:59.000Z')
  for (const args of [
    ['audit', 'list', '--until', '2026-02-30'],
    ['search', 'messages', 'hello', '--since', '2026-04-31'],
    ['reports', 'run', 'security-summary', '--until', '2026-02-30'],
  ]) {
    usage(t, await cli(args), /^Error: invalid --(until|since) "2026-0[24]-3[01]"\n/)
  }
})

test('every numeric and duration flag is bounded: exit 2 naming the flag and its range, nothing reaches the server', async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [['stats', 'top', '-n', '2147483648'], /invalid --limit: must be an integer from 1 to 100000/],
    [['stats', 'calls', '--limit', '9223372036854775808'], /invalid --limit: must be an integer from 1 to 100000/],
    [
      ['stats', 'unused-indexes', '--max-scans', '9223372036854775808'],
      /invalid --max-scans: must be an integer from 1 to 1000000000000000/,
    ],
    [
      ['vacuum', 'wraparound', '--tables', '99999999999999999999'],
      /invalid --tables: must be an integer from 0 to 1000000/,
    ],
    [['orgs', 'list', '--limit', '-1'], /invalid --limit: must be an integer from 1 to 1000000/],
    [
      ['audit', 'list', '--since', '999999999999999ms'],
      /invalid --since "999999999999999ms": must be from 0ms to 36500d/,
    ],
    [['audit', 'list', '--since', '99999999w'], /invalid --since "99999999w": must be from 0ms to 36500d/],
    [['sessions', 'purge', '--older-than', '99999999w', '--dry-run'], /invalid --older-than "99999999w"/],
    [['activity', '--min-duration', '99999999w'], /invalid --min-duration "99999999w": must be from 0ms to 36500d/],
  ]
  for (const [args, message] of cases) usage(t, await cli(args), message)
})

test('--statement-timeout that rounds to 0 (no timeout at all) or past what PostgreSQL takes is refused', async (t) => {
  for (const value of ['0.4ms', '0', '0s', '25d'])
    usage(
      t,
      await cli(['orgs', 'list', '--statement-timeout', value]),
      /^Error: invalid --statement-timeout ".*": must be from 1ms to 24d\n/,
    )
  const ok = await cli(['orgs', 'list', '--statement-timeout', '1ms', '--format', 'csv'])
  t.not(ok.code, 2, ok.stderr)
})

test('values wider than their column, a forged --after cursor and a NUL in the database name are exit 2', async (t) => {
  const before = await checksum(db.pg)
  usage(
    t,
    await cli(['users', 'update', 'ada@example.org', '--phone', '1'.repeat(21), '--yes']),
    /^Error: --phone is too long \(21 characters\)\nHint: use at most 20 characters\n/,
  )
  usage(
    t,
    await cli(['users', 'update', 'ada@example.org', '--name', 'é'.repeat(256), '--yes']),
    /--name is too long \(256 characters\)/,
  )
  usage(
    t,
    await cli(['orgs', 'create', '--slug', 'wide', '--name', 'x'.repeat(300), '--type', 'studio', '--yes']),
    /--name is too long/,
  )
  t.deepEqual(await checksum(db.pg), before)
  const id = '0b5c4b2e-6a3c-4f0e-9d7e-2f1a3c4b5d6e'
  for (const forged of [
    encodeCursor({sort: 'rank', rank: 1e39, createdUs: '0', id}),
    encodeCursor({sort: 'rank', rank: 0.5, createdUs: '9223372036854775807', id}),
    encodeCursor({sort: 'rank', rank: -1, createdUs: null, id}),
    encodeCursor({sort: 'newest', rank: 0, createdUs: '-9999999999999999999', id}),
  ]) {
    usage(
      t,
      await cli([
        'search',
        'messages',
        'hello',
        '--after',
        forged,
        ...(forged.startsWith('WyJu') ? ['--sort', 'newest'] : []),
      ]),
      /^Error: invalid --cursor\n/,
    )
  }
  const nul = new URL(db.url)
  nul.pathname = `/${db.name}%00x`
  usage(
    t,
    await runCli(['orgs', 'list', '--db-url', nul.toString()]),
    /^Error: the connection URI holds a NUL byte \(%00\)\n/,
  )
})

test('an empty identifier is exit 2 everywhere one is taken, not "every row"', async (t) => {
  const before = await checksum(db.pg)
  const cases: string[][] = [
    ['teams', 'show', '', '--org', 'north-high'],
    ['teams', 'show', ' ', '--org', 'north-high'],
    ['orgs', 'show', ''],
    ['users', 'show', ''],
    ['users', 'list', '--org', ''],
    ['members', 'list', ''],
    ['members', 'add', 'north-high', '', '--yes'],
    ['teams', 'add-member', 'brass', '', '--org', 'north-high', '--yes'],
    ['sessions', 'list', '--user', ''],
    ['sessions', 'list', '--org', ''],
    ['audit', 'list', '--org', ''],
    ['audit', 'list', '--since', ''],
    ['search', 'messages', 'hello', '--org', ''],
    ['search', 'messages', 'hello', '--author', ''],
    ['reports', 'run', 'tenant-usage', '--org', ''],
  ]
  for (const args of cases) {
    const r = await cli(args)
    t.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`)
    t.regex(r.stderr, /^Error: .*(empty|invalid|Missing)/, args.join(' '))
    t.is(r.stdout, '', args.join(' '))
  }
  t.deepEqual(await checksum(db.pg), before)
})

test('FLUXADMIN_HEALTH_WARN, _CRIT, _ONLY and _SKIP from the environment work like the flags', async (t) => {
  const run = (env: NodeJS.ProcessEnv) => cli(['health', 'check', '--format', 'json'], env)
  const only = await run({
    FLUXADMIN_HEALTH_ONLY: 'connections,idle_in_transaction',
    FLUXADMIN_HEALTH_WARN: 'idle_in_transaction=5m',
    FLUXADMIN_HEALTH_CRIT: 'idle_in_transaction=10m',
  })
  t.true([0, 1, 2].includes(only.code), only.stderr)
  t.notRegex(only.stderr, /flatMap|unexpected/)
  const rows = JSON.parse(only.stdout) as Array<{check: string; name?: string}>
  t.is(rows.length, 2, only.stdout)
  const skip = await run({FLUXADMIN_HEALTH_SKIP: 'app'})
  t.true([0, 1, 2].includes(skip.code), skip.stderr)
  t.false(/fk_unindexed|app_/.test(skip.stdout), skip.stdout)
  const bad = await run({FLUXADMIN_HEALTH_WARN: 'nonsense'})
  usage(t, bad, /^Error: invalid --warn "nonsense"/)
})

test('backend cancel|terminate of the checkpointer: not a client backend (2), in a dry run and for real', async (t) => {
  const admin = new pg.Client({connectionString: db.url})
  await admin.connect()
  t.teardown(() => admin.end())
  const {
    rows: [{pid}],
  } = await admin.query("SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'")
  for (const verb of ['terminate', 'cancel']) {
    for (const extra of [['--dry-run'], []]) {
      const r = await cli(['backend', verb, String(pid), '--yes', ...extra])
      usage(
        t,
        r,
        new RegExp(`^Error: pid ${pid} is not a client backend \\(checkpointer\\): this command cannot signal it\\n`),
      )
    }
  }
  const {
    rows: [alive],
  } = await admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1', [pid])
  t.is(alive.n, 1)
  const {
    rows: [audited],
  } = await admin.query("SELECT count(*)::int AS n FROM security_events WHERE event_type LIKE 'admin.backend.%'")
  t.is(audited.n, 0)
})

test('stats explain --analyze refuses what is not a plain read (volatile functions, views calling them, writes, row locks); runs harmless reads', async (t) => {
  const victim = new pg.Client({connectionString: db.url, application_name: 'explain-victim'})
  const statements = [
    'SELECT pg_terminate_backend($1)',
    'SELECT nextval($1::regclass)',
    'SELECT * FROM explain_terminator',
    'WITH d AS (DELETE FROM organizations WHERE slug = $1 RETURNING slug) SELECT count(*) FROM d',
    'SELECT slug FROM organizations WHERE slug = $1 FOR UPDATE',
    'SELECT random() < $1::float8 AS coin',
  ]
  await db.pg.query('CREATE SEQUENCE explain_seq')
  await db.pg.query(
    "CREATE VIEW explain_terminator AS SELECT pg_terminate_backend(pid) AS gone FROM pg_stat_activity WHERE application_name = 'explain-victim'",
  )
  await db.pg.query('SELECT pg_terminate_backend($1)', [0]).catch(() => {})
  await db.pg.query('SELECT nextval($1::regclass)', ['explain_seq'])
  await db.pg.query('SELECT * FROM explain_terminator')
  await db.pg.query('WITH d AS (DELETE FROM organizations WHERE slug = $1 RETURNING slug) SELECT count(*) FROM d', [
    'nobody',
  ])
  await db.pg.query('SELECT slug FROM organizations WHERE slug = $1 FOR UPDATE', ['nobody'])
  await db.pg.query('SELECT random() < $1::float8 AS coin', [2])
  await victim.connect()
  t.teardown(() => victim.end().catch(() => {}))
  const {
    rows: [{pid: victimPid}],
  } = await victim.query('SELECT pg_backend_pid() AS pid')
  const {rows: ids} = await db.pg.query(
    'SELECT s.query, s.queryid::text FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1 AND s.query = ANY($2)',
    [db.name, statements],
  )
  const id = (text: string) => ids.find((r) => r.query === text)?.queryid as string
  const before = await checksum(db.pg)
  const explain = (text: string, params: string) =>
    cli(['stats', 'explain', id(text), '--params', params, '--analyze', '--format', 'csv'])

  usage(
    t,
    await explain(statements[0], String(victimPid)),
    /^Error: --analyze would run this statement, and it calls volatile function pg_terminate_backend, which may change something\nHint: leave out --analyze/,
  )
  usage(t, await explain(statements[1], 'explain_seq'), /calls volatile function nextval/)
  const viewId = ids.find((r) => r.query === statements[2])?.queryid as string
  usage(
    t,
    await cli(['stats', 'explain', viewId, '--analyze', '--format', 'csv']),
    /calls volatile function pg_terminate_backend/,
  )
  usage(t, await explain(statements[3], 'north-high'), /it writes \(a data-modifying WITH\)/)
  usage(t, await explain(statements[4], 'north-high'), /it locks rows \(FOR UPDATE\/SHARE\)/)
  const coin = await explain(statements[5], '2')
  t.is(coin.code, 0, coin.stderr)
  t.regex(coin.stdout, /actual time/)

  t.is((await victim.query('SELECT 1 AS up')).rows[0].up, 1, 'the victim session survived')
  t.is((await db.pg.query('SELECT last_value::int AS v FROM explain_seq')).rows[0].v, 1, 'the sequence did not move')
  t.deepEqual(await checksum(db.pg), before)
})

test('an empty flag value (an unset shell variable) is exit 2, not "leave it out": --out, --dir, --stanza, --db, --only, --pgbouncer, --restore-point, --target-url, --since, --role, --contact-email; so is a PgBouncer URL that does not parse', async (t) => {
  const cases: Array<[string[], RegExp]> = [
    [['health', 'check', '--pgbouncer', ''], /^Error: --pgbouncer is empty/],
    [['health', 'check', '--pgbouncer', ' '], /^Error: --pgbouncer is empty/],
    [
      ['health', 'check', '--pgbouncer', 'not a connection string'],
      /^Error: --pgbouncer: the connection string is not valid/,
    ],
    [['health', 'check', '--stanza', ' '], /^Error: --stanza is empty/],
    [['health', 'check', '--db', ''], /^Error: --db is empty/],
    [['health', 'check', '--only', ''], /^Error: --only is empty/],
    [['health', 'check', '--skip', ' , '], /^Error: --skip is empty/],
    [['orgs', 'list', '--out', ''], /^Error: --out is empty/],
    [['backup', 'restore-point', 'fuzz-point', '--dir', ''], /^Error: --dir is empty/],
    [['backup', 'create', '--dir', ' '], /^Error: --dir is empty/],
    [['backup', 'pitr', 'verify', '--latest', '--stanza', ''], /^Error: --stanza is empty/],
    // Each of these used to mean "not given": a --latest drill, a restore beside production, cumulative stats.
    [['backup', 'pitr', 'verify', '--stanza', 'main', '--restore-point', ''], /^Error: invalid restore point name ""/],
    [['backup', 'pitr', 'verify', '--stanza', 'main', '--target-time', ''], /^Error: invalid --target-time ""/],
    [['backup', 'pitr', 'verify', '--stanza', 'main', '--restore-point', 'rp', '--dir', ''], /^Error: --dir is empty/],
    [['backup', 'verify', '/nonexistent.dump', '--target-url', ''], /^Error: --target-url is empty/],
    [['stats', 'top', '--since', ''], /^Error: invalid --since ""/],
    [
      [
        'users',
        'invite',
        '--email',
        'new@example.org',
        '--name',
        'New',
        '--type',
        'client',
        '--org',
        'north-high',
        '--role',
        '',
        '--yes',
      ],
      /^Error: invalid role ""/,
    ],
    [
      ['orgs', 'create', '--slug', 'new-org', '--name', 'New', '--type', 'studio', '--contact-email', '', '--yes'],
      /^Error: invalid email ""/,
    ],
    [['orgs', 'update', 'north-high', '--contact-email', '', '--yes'], /^Error: invalid email ""/],
    [['orgs', 'move', 'north-high', '--to', db.url, '--work-dir', '', '--yes'], /^Error: --work-dir is empty/],
  ]
  const before = await checksum(db.pg)
  for (const [args, message] of cases) {
    const r = await cli(args)
    usage(t, r, message)
    t.is(r.stdout, '', args.join(' '))
  }
  t.deepEqual(await checksum(db.pg), before)
  usage(
    t,
    await runCli(['backup', 'list', '--dir', process.env.FLUXADMIN_TEST_DIR!, '--stanza', '']),
    /^Error: --stanza is empty/,
  )
})

test('an --out or --dir path longer than the file system takes is exit 2 in one line, not "a bug"', async (t) => {
  const long = 'y'.repeat(300)
  for (const args of [
    ['orgs', 'list', '--out', long],
    ['backup', 'create', '--dir', `${process.env.FLUXADMIN_TEST_DIR}/${long}`],
  ]) {
    const r = await cli(args)
    usage(t, r, /^Error: the file name is too long: \S*y{20}/)
    t.regex(r.stderr, /^Error: [^\n]+\nHint: give a shorter path\n$/)
  }
})

test('as root without the OS user that pgBackRest runs as: backup list exit 4, backup pitr verify exit 3 ("could not run"), one line each', async (t) => {
  if (process.getuid?.() !== 0)
    return t.log('runs only as root (as CI does): an unprivileged fluxadmin runs pgBackRest as itself')
  const env = {FLUXADMIN_RUN_AS: 'fluxadmin-no-such-user'}
  const list = await runCli(['backup', 'list', '--dir', process.env.FLUXADMIN_TEST_DIR!, '--stanza', 'main'], {env})
  t.is(list.code, 4, list.stderr)
  t.regex(
    list.stderr,
    /^Error: running as root, and there is no "fluxadmin-no-such-user" user to run PostgreSQL as\nHint: [^\n]+\n$/,
  )
  const pitr = await cli(['backup', 'pitr', 'verify', '--latest', '--stanza', 'main'], env)
  t.is(pitr.code, 3, pitr.stderr)
  t.regex(pitr.stderr, /there is no "fluxadmin-no-such-user" user/)
})

test.serial(
  'an update to an empty name, type, tier or timezone, or to a timezone PostgreSQL does not know, is exit 2 and writes nothing',
  async (t) => {
    const before = await checksum(db.pg)
    const cases: Array<[string[], RegExp]> = [
      [['orgs', 'update', 'north-high', '--type', ''], /^Error: invalid organization type ""/],
      [['orgs', 'update', 'north-high', '--tier', ' '], /^Error: invalid subscription tier " "/],
      [['orgs', 'update', 'north-high', '--name', ''], /^Error: the organization name is empty/],
      [['users', 'update', 'ada@example.org', '--name', ' '], /^Error: the name is empty/],
      [['users', 'update', 'ada@example.org', '--type', ''], /^Error: invalid user type ""/],
      [['users', 'update', 'ada@example.org', '--timezone', ''], /^Error: the timezone is empty/],
      [
        ['users', 'update', 'ada@example.org', '--timezone', 'Mars/Olympus'],
        /^Error: unknown timezone "Mars\/Olympus"\nHint: .*pg_timezone_names/,
      ],
    ]
    for (const [args, message] of cases) {
      const r = await cli([...args, '--yes'])
      usage(t, r, message)
      t.is(r.stdout, '', args.join(' '))
    }
    t.deepEqual(await checksum(db.pg), before)
    const known = await cli(['users', 'update', 'ada@example.org', '--timezone', 'America/Sao_Paulo', '--yes'])
    t.is(known.code, 0, known.stderr)
    t.is(
      (await db.pg.query("SELECT timezone FROM users WHERE email = 'ada@example.org'")).rows[0].timezone,
      'America/Sao_Paulo',
    )
  },
)
