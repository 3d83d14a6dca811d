import {chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {createServer, type AddressInfo, type Socket} from 'node:net'
import {join} from 'node:path'
import test, {type ExecutionContext} from 'ava'
import {resolveTarget} from '../src/db/resolve.js'
import {openSession} from '../src/db/session.js'
import {runCli} from './helpers/cli.js'
import {adminUrl, freshDb} from './helpers/db.js'

const SECRET = 'test-secret-pw'

function noSecret(t: {false: (v: boolean, m?: string) => void}, ...texts: string[]) {
  for (const text of texts) t.false(text.includes(SECRET) || text.includes('hunter2'), `password leaked: ${text}`)
}

test('connection refused: one line naming host:port, exit 3, password never printed', async (t) => {
  const r = await runCli(['--db-url', 'postgres://x:hunter2@127.0.0.1:1/db', 'db', 'status'])
  t.is(r.code, 3)
  t.regex(r.stderr, /^Error: cannot connect to PostgreSQL at 127\.0\.0\.1:1\/db: connection refused\nHint: /)
  t.is(r.stdout, '')
  noSecret(t, r.stdout, r.stderr)
  const debug = await runCli(['db', 'status', '--debug', '--db-url', 'postgres://x:hunter2@127.0.0.1:1/db'])
  t.is(debug.code, 3)
  noSecret(t, debug.stdout, debug.stderr)
})

test('authentication failed: exit 3, password redacted even with --debug', async (t) => {
  const url = new URL(adminUrl())
  url.password = 'hunter2'
  const r = await runCli(['db', 'status', '--debug', '--db-url', url.toString()])
  t.is(r.code, 3)
  t.regex(r.stderr, /Error: authentication failed for user "postgres" at 127\.0\.0\.1:\d+\/postgres/)
  noSecret(t, r.stdout, r.stderr)
})

test('unknown database: exit 3 with its name', async (t) => {
  const url = new URL(adminUrl())
  url.pathname = '/no_such_db'
  const r = await runCli(['db', 'tables', '--db-url', url.toString()])
  t.is(r.code, 3)
  t.regex(r.stderr, /database "no_such_db" does not exist/)
  noSecret(t, r.stderr)
})

test('statement timeout and permission denied map to exit 6 with a hint', async (t) => {
  const db = await freshDb(t)
  const slow = await runCli(['db', 'tables', '--db-url', db.url, '--statement-timeout', '1ms'])
  t.is(slow.code, 6)
  t.regex(
    slow.stderr,
    /Error: statement cancelled: canceling statement due to statement timeout\nHint: raise --statement-timeout/,
  )

  await db.pg.query("DROP ROLE IF EXISTS fa_nobody; CREATE ROLE fa_nobody LOGIN PASSWORD 'hunter2'")
  t.teardown(() =>
    db.pg.query('DROP OWNED BY fa_nobody; DROP ROLE fa_nobody').then(
      () => undefined,
      () => undefined,
    ),
  )
  const url = new URL(db.url)
  url.username = 'fa_nobody'
  url.password = 'hunter2'
  const denied = await runCli(['db', 'tables', '--db-url', url.toString()])
  t.is(denied.code, 6)
  t.regex(denied.stderr, /Error: permission denied: permission denied for table \w+\nHint: /)
  noSecret(t, denied.stderr)
})

test('bad flags are usage errors (exit 2) without a stack trace', async (t) => {
  const r = await runCli(['db', 'status', '--bogus'])
  t.is(r.code, 2)
  t.regex(r.stderr, /^Error: Nonexistent flag: --bogus/)
  t.notRegex(r.stderr, /at .*\.js:\d+/)
  const bad = await runCli(['db', 'tables', '--format', 'xml', '--db-url', adminUrl()])
  t.is(bad.code, 2)
  const dur = await runCli(['db', 'tables', '--statement-timeout', 'soon', '--db-url', adminUrl()])
  t.is(dur.code, 2)
  t.regex(dur.stderr, /invalid --statement-timeout "soon"/)
  for (const [args, expected] of [
    [
      ['search', 'messages', 'foo', '--limit', 'abc', '--db-url', adminUrl()],
      /^Error: invalid --limit: must be an integer from 1 to 1000\nHint: see --help\n$/,
    ],
    [
      ['stats', 'top', '--limit', '-5', '--db-url', adminUrl()],
      /^Error: invalid --limit: must be an integer from 1 to 100000\n/,
    ],
    [['backup', 'list'], /^Error: Missing required flag dir\nHint: see --help\n$/],
    [['orgs', 'show'], /^Error: Missing 1 required arg: org organization slug or UUID\nHint: see --help\n$/],
  ] as const) {
    const r = await runCli([...args])
    t.is(r.code, 2, r.stderr)
    t.regex(r.stderr, expected)
  }
})

test('no database configured: exit 3 with the ways to configure one', async (t) => {
  const r = await runCli(['db', 'status'])
  t.is(r.code, 3)
  t.regex(r.stderr, /^Error: no database to connect to\nHint: pass --db-url/)
})

test('libpq variables, service file and ~/.pgpass are used when no URL is given', async (t) => {
  const admin = new URL(adminUrl())
  const db = await freshDb(t)
  const dir = process.env.FLUXADMIN_TEST_DIR!
  const pgpass = join(dir, 'pgpass')
  writeFileSync(pgpass, `127.0.0.1:${admin.port}:*:postgres:${SECRET}\n`, {mode: 0o600})
  const service = join(dir, 'pg_service.conf')
  writeFileSync(service, `[flux]\nhost=127.0.0.1\nport=${admin.port}\nuser=postgres\ndbname=${db.name}\n`)
  const viaEnv = await runCli(['db', 'status', '--format', 'json'], {
    env: {PGHOST: '127.0.0.1', PGPORT: admin.port, PGUSER: 'postgres', PGDATABASE: db.name, PGPASSFILE: pgpass},
  })
  t.is(viaEnv.code, 0, viaEnv.stderr)
  const viaService = await runCli(['db', 'status', '--format', 'json'], {
    env: {PGSERVICE: 'flux', PGSERVICEFILE: service, PGPASSFILE: pgpass},
  })
  t.is(viaService.code, 0, viaService.stderr)
  const missing = await runCli(['db', 'status'], {env: {PGSERVICE: 'nope', PGSERVICEFILE: service}})
  t.is(missing.code, 2)
  t.regex(missing.stderr, /service "nope" not found/)
  // DATABASE_URL wins over PG* variables; --db-url wins over both.
  const order = await runCli(['db', 'status', '--db-url', 'postgres://127.0.0.1:1/first'], {
    env: {DATABASE_URL: 'postgres://127.0.0.1:2/second', PGHOST: '127.0.0.1', PGPORT: '3'},
  })
  t.regex(order.stderr, /127\.0\.0\.1:1\/first/)
  const order2 = await runCli(['db', 'status'], {
    env: {DATABASE_URL: 'postgres://127.0.0.1:2/second', PGHOST: '127.0.0.1', PGPORT: '3'},
  })
  t.regex(order2.stderr, /127\.0\.0\.1:2\/second/)
  noSecret(t, viaEnv.stdout, viaEnv.stderr, viaService.stdout, viaService.stderr)
})

test('application_name as libpq reads it: the connection string, else PGAPPNAME, else fluxadmin', async (t) => {
  const db = await freshDb(t)
  const name = async (url: string, env: NodeJS.ProcessEnv = {}) => {
    const session = await openSession(resolveTarget(url, env))
    try {
      return (await session.client.query('SELECT current_setting($1) AS v', ['application_name'])).rows[0].v
    } finally {
      await session.close()
    }
  }
  t.is(await name(db.url), 'fluxadmin')
  t.is(await name(db.url, {PGAPPNAME: 'oncall-alice'}), 'oncall-alice')
  t.is(await name(`${db.url}?application_name=cron-exports`, {PGAPPNAME: 'oncall-alice'}), 'cron-exports')
  t.is(await name(`${db.url}?fallback_application_name=other`), 'fluxadmin')
})

test('a host list: the first server that connects is used, each failure is named when none does, ports match hosts', async (t) => {
  const db = await freshDb(t)
  const u = new URL(db.url)
  const url = (hosts: string, query = '') => `postgres://${u.username}:${u.password}@${hosts}${u.pathname}${query}`
  const session = await openSession(resolveTarget(url(`127.0.0.1:1,127.0.0.1:${u.port}`)))
  t.is(session.target.port, Number(u.port), 'the second host: the first refused')
  await session.close()
  const keywords = await runCli(
    [
      'db',
      'status',
      '--format',
      'json',
      '--db-url',
      `host=127.0.0.1,127.0.0.1 port=1,${u.port} dbname=${db.name} user=${u.username}`,
    ],
    {env: {PGPASSWORD: decodeURIComponent(u.password)}},
  )
  t.is(keywords.code, 0, keywords.stderr)
  const none = await runCli(['db', 'status', '--db-url', url('127.0.0.1:1,127.0.0.1:2')])
  t.is(none.code, 3)
  t.regex(
    none.stderr,
    /^Error: cannot connect to PostgreSQL at any of 127\.0\.0\.1:1\/\w+, 127\.0\.0\.1:2\/\w+: 127\.0\.0\.1:1\/\w+: connection refused; 127\.0\.0\.1:2\/\w+: connection refused\nHint: [^\n]+\n$/,
  )
  noSecret(t, none.stderr)
  const ports = await runCli(['db', 'status', '--db-url', 'host=a,b,c port=1,2'])
  t.is(ports.code, 2)
  t.regex(ports.stderr, /^Error: could not match 2 port numbers to 3 hosts\n/)
  const attrs = await runCli([
    'db',
    'status',
    '--db-url',
    url(`127.0.0.1:${u.port}`, '?target_session_attrs=primaryish'),
  ])
  t.is(attrs.code, 2)
  t.regex(
    attrs.stderr,
    /^Error: invalid target_session_attrs "primaryish"\nHint: one of any, read-write, read-only, primary, standby, prefer-standby\n/,
  )
})

/** A fresh database and a directory holding a .pgpass with its password. */
async function dbWithPgpass(t: ExecutionContext, label: string) {
  const db = await freshDb(t)
  const u = new URL(db.url)
  const dir = join(process.env.FLUXADMIN_TEST_DIR!, `${label}-${db.name}`)
  mkdirSync(dir)
  writeFileSync(join(dir, '.pgpass'), `127.0.0.1:${u.port}:*:postgres:${SECRET}\n`, {mode: 0o600})
  return {db, u, dir}
}

test("with HOME unset, ~/.pgpass is the account's home as libpq has it, never a .pgpass in the current directory; a missing password is named", async (t) => {
  const {db, u, dir: cwd} = await dbWithPgpass(t, 'cwd')
  const r = await runCli(['db', 'status', '--db-url', `postgres://postgres@127.0.0.1:${u.port}/${db.name}`], {
    env: {HOME: undefined},
    cwd,
  })
  t.is(r.code, 3, r.stderr)
  t.regex(
    r.stderr,
    /^Error: cannot connect to PostgreSQL at 127\.0\.0\.1:\d+\/t_\w+: the server asks for a password and none was given\nHint: give it in ~\/\.pgpass/,
  )
  const given = await runCli(['db', 'status', '--db-url', `postgres://postgres@127.0.0.1:${u.port}/${db.name}`], {
    env: {HOME: undefined, PGPASSFILE: join(cwd, '.pgpass')},
    cwd,
  })
  t.is(given.code, 0, given.stderr)
})

test('an empty password (PGPASSWORD="" or password=) is no password: ~/.pgpass is read, as libpq reads it', async (t) => {
  const {db, u, dir: home} = await dbWithPgpass(t, 'home')
  const viaEnv = await runCli(['db', 'status', '--db-url', `postgres://postgres@127.0.0.1:${u.port}/${db.name}`], {
    env: {HOME: home, PGPASSWORD: ''},
  })
  t.is(viaEnv.code, 0, viaEnv.stderr)
  const viaKeyword = await runCli(
    ['db', 'status', '--db-url', `host=127.0.0.1 port=${u.port} dbname=${db.name} user=postgres password=`],
    {env: {HOME: home}},
  )
  t.is(viaKeyword.code, 0, viaKeyword.stderr)
  // As libpq: a file others may read is skipped, with a warning.
  chmodSync(join(home, '.pgpass'), 0o644)
  const open = await runCli(['db', 'status', '--db-url', `postgres://postgres@127.0.0.1:${u.port}/${db.name}`], {
    env: {HOME: home},
  })
  t.is(open.code, 3, open.stderr)
  t.true(
    open.stderr.startsWith(
      `WARNING: password file "${join(home, '.pgpass')}" has group or world access; permissions should be u=rw (0600) or less\nError: cannot connect`,
    ),
    open.stderr,
  )
})

test("connecting does not load undici: pg's Cloudflare check (it touches Response) is left out of the bundle", async (t) => {
  const db = await freshDb(t)
  const trap = join(process.env.FLUXADMIN_TEST_DIR!, `trap-${db.name}.cjs`)
  writeFileSync(
    trap,
    `const d = Object.getOwnPropertyDescriptor(globalThis, 'Response')
Object.defineProperty(globalThis, 'Response', {configurable: true, get() { process.stderr.write('Response touched\\n'); return d.get.call(this) }})
`,
  )
  const r = await runCli(['db', 'status', '--db-url', db.url], {env: {NODE_OPTIONS: `--require ${trap}`}})
  t.is(r.code, 0, r.stderr)
  t.false(r.stderr.includes('Response touched'), r.stderr)
})

test('PG* variables fill in what a connection string leaves out, as in libpq', async (t) => {
  const db = await freshDb(t)
  const u = new URL(db.url)
  const r = await runCli(
    ['db', 'status', '--format', 'json', '--db-url', `postgres://${u.username}@127.0.0.1/${db.name}`],
    {env: {PGPASSWORD: decodeURIComponent(u.password), PGPORT: u.port}},
  )
  t.is(r.code, 0, r.stderr)
})

test('no host means the Unix socket in the default directory, as libpq; a host that is a directory is a socket too', async (t) => {
  const db = await freshDb(t)
  const u = new URL(db.url)
  const dir = process.env.FLUXADMIN_TEST_SOCKET_DIR!
  const overSocket = async (url: string, env: NodeJS.ProcessEnv = {}) => {
    const session = await openSession(resolveTarget(url, env))
    try {
      return {
        host: session.target.host,
        client: (await session.client.query('SELECT inet_client_addr() AS addr')).rows[0].addr,
      }
    } finally {
      await session.close()
    }
  }
  const password = decodeURIComponent(u.password)
  t.deepEqual(await overSocket(`host=${dir} port=${u.port} dbname=${db.name} user=postgres password=${password}`), {
    host: dir,
    client: null,
  })
  t.deepEqual(await overSocket(`postgres://postgres:${u.password}@${encodeURIComponent(dir)}:${u.port}/${db.name}`), {
    host: dir,
    client: null,
  })

  // The test server's socket made to appear in /tmp, the last default directory fluxadmin looks in.
  t.false(existsSync(`/var/run/postgresql/.s.PGSQL.${u.port}`))
  const link = `/tmp/.s.PGSQL.${u.port}`
  symlinkSync(join(dir, `.s.PGSQL.${u.port}`), link)
  t.teardown(() => rmSync(link, {force: true}))
  // libpq's ~/.pgpass names a connection through the default socket directory localhost.
  const pgpass = join(dir, 'pgpass-socket')
  writeFileSync(pgpass, `localhost:${u.port}:*:postgres:${SECRET}\n`, {mode: 0o600})
  t.deepEqual(await overSocket(`port=${u.port} dbname=${db.name} user=postgres`, {PGPASSFILE: pgpass}), {
    host: '/tmp',
    client: null,
  })
  const cli = await runCli(
    ['db', 'status', '--format', 'json', '--db-url', `postgresql://postgres@:${u.port}/${db.name}`],
    {env: {PGPASSFILE: pgpass}},
  )
  t.is(cli.code, 0, cli.stderr)
  rmSync(link)

  const none = await runCli(['db', 'status', '--db-url', `port=${u.port} dbname=${db.name} user=postgres`], {
    env: {PGPASSFILE: pgpass},
  })
  t.is(none.code, 3)
  t.regex(
    none.stderr,
    new RegExp(
      `^Error: cannot connect to PostgreSQL: no server is listening on the socket /\\S+/\\.s\\.PGSQL\\.${u.port}\nHint: [^\n]+PGHOST\\)\n$`,
    ),
  )
})

// Serial and with room for a slow start-up: the file's other tests start many CLI processes at once.
test.serial(
  'connect_timeout (or PGCONNECT_TIMEOUT) bounds the wait for a server that accepts and never answers',
  async (t) => {
    const sockets: Socket[] = []
    const silent = createServer((socket) => {
      sockets.push(socket)
    })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    t.teardown(() => {
      for (const s of sockets) s.destroy()
      silent.close()
    })
    const {port} = silent.address() as AddressInfo
    for (const [url, env] of [
      [`postgres://x@127.0.0.1:${port}/db?connect_timeout=2`, {}],
      [`postgres://x@127.0.0.1:${port}/db`, {PGCONNECT_TIMEOUT: '1'}],
    ] as const) {
      const started = Date.now()
      const r = await runCli(['db', 'status', '--db-url', url], {env})
      const seconds = (Date.now() - started) / 1000
      t.is(r.code, 3, r.stderr)
      t.regex(
        r.stderr,
        /^Error: cannot connect to PostgreSQL at 127\.0\.0\.1:\d+\/db: no answer within 2 s\nHint: [^\n]+connect_timeout/,
      )
      t.true(seconds >= 2 && seconds < 9, `gave up after ${seconds} s, not 2 (the default is 10)`)
    }
    const bad = await runCli(['db', 'status', '--db-url', `postgres://x@127.0.0.1:${port}/db?connect_timeout=soon`])
    t.is(bad.code, 2)
    t.regex(bad.stderr, /^Error: invalid connect_timeout "soon"\n/)
  },
)

test('load_balance_hosts=random puts the host list in a random order for each connection; disable keeps it', async (t) => {
  const url = (balance: string) => `postgres://ops@db-a:5432,db-b:5433/app?load_balance_hosts=${balance}`
  const firsts = (balance: string) =>
    [
      ...new Set(
        Array.from({length: 40}, () => {
          const target = resolveTarget(url(balance))
          t.is(target.others.length, 1)
          return `${target.host}:${target.port}`
        }),
      ),
    ].sort()
  t.deepEqual(firsts('random'), ['db-a:5432', 'db-b:5433'])
  t.deepEqual(firsts('disable'), ['db-a:5432'])
  const bad = await runCli(['db', 'status', '--db-url', url('round-robin')])
  t.is(bad.code, 2)
  t.regex(bad.stderr, /^Error: invalid load_balance_hosts "round-robin"\n/)
})

test('keepalives and keepalives_idle set the TCP keepalive the kernel runs on the connection', async (t) => {
  const db = await freshDb(t)
  /** The socket's timer in /proc/net/tcp: its kind (2 = keepalive) and the clock ticks left. */
  const timer = async (query: string) => {
    const session = await openSession(resolveTarget(`${db.url}${query}`))
    try {
      await session.client.query('SELECT 1')
      await new Promise((resolve) => setTimeout(resolve, 100))
      const port = (session.client as unknown as {connection: {stream: {localPort: number}}}).connection.stream
        .localPort
      const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`
      const line = readFileSync('/proc/net/tcp', 'utf8')
        .split('\n')
        .find((l) => l.trim().split(/\s+/)[1] === local)!
      const [kind, when] = line.trim().split(/\s+/)[5].split(':')
      return {kind, ticks: parseInt(when, 16)}
    } finally {
      await session.close()
    }
  }
  const idle = await timer('?keepalives_idle=7')
  t.is(idle.kind, '02')
  t.true(idle.ticks > 0 && idle.ticks <= 700, `${idle.ticks} ticks left, at most 7 s`)
  t.true((await timer('')).ticks > 700, 'unset: the system default (2 hours)')
  t.is((await timer('?keepalives=0')).kind, '00')
  const bad = await runCli(['db', 'status', '--db-url', `${db.url}?keepalives_idle=soon`])
  t.is(bad.code, 2)
  t.regex(bad.stderr, /^Error: invalid keepalives_idle "soon"\n/)
})
