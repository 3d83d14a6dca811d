import {spawnSync} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {existsSync, mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import test from 'ava'
import pg from 'pg'
import {freshDb} from './helpers/db.js'

const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

test('under tmux: the Activity pane shows the blocked pid and its blocker; q exits 0 and restores the screen', async (t) => {
  const db = await freshDb(t)
  await db.pg.query('CREATE TABLE dash_lock (id int)')
  const holder = new pg.Client({connectionString: db.url, application_name: 'tmux-holder'})
  const waiter = new pg.Client({connectionString: db.url, application_name: 'tmux-waiter'})
  for (const c of [holder, waiter]) {
    c.on('error', () => {})
    await c.connect()
  }
  t.teardown(async () => {
    await holder.end().catch(() => {})
    await waiter.end().catch(() => {})
  })
  const pidOf = async (c: pg.Client) => (await c.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number
  const [holderPid, waiterPid] = [await pidOf(holder), await pidOf(waiter)]
  await holder.query('BEGIN; LOCK TABLE dash_lock IN ACCESS EXCLUSIVE MODE')
  const waiting = waiter.query('SELECT count(*) FROM dash_lock').catch((e) => e)

  // A private tmux server, so nothing else on the machine is touched.
  const socket = `fa-dash-${randomBytes(4).toString('hex')}`
  const tmux = (...args: string[]) =>
    spawnSync('tmux', ['-L', socket, ...args], {encoding: 'utf8', env: {...process.env, TERM: 'xterm-256color'}})
  t.teardown(() => {
    tmux('kill-server')
  })
  const dir = mkdtempSync(join(tmpdir(), 'fa-tmux-'))
  const exitFile = join(dir, 'exit-code')
  const command = `'${process.execPath}' '${BIN}' dashboard --interval 0.5 --db-url '${db.url}' --filter database=${db.name}; echo $? > '${exitFile}'`
  const started = tmux('new-session', '-d', '-s', 'dash', '-x', '200', '-y', '50', command)
  t.is(started.status, 0, started.stderr)
  tmux('set-option', '-t', 'dash', 'remain-on-exit', 'on')

  const capture = () => tmux('capture-pane', '-p', '-t', 'dash').stdout ?? ''
  const blockedRow = new RegExp(`^[▶ ]\\s+${waiterPid}\\b.*\\b${holderPid}\\b`, 'm')
  let screen = ''
  for (let i = 0; i < 300 && !blockedRow.test(screen); i++) {
    await sleep(100)
    screen = capture()
  }
  t.regex(screen, /fluxadmin dashboard/)
  t.regex(screen, blockedRow, 'the blocked session lists its blocker')
  t.regex(screen, new RegExp(`^[▶ ]\\s+${holderPid}\\b.*idle in tx`, 'm'), 'the blocker is listed too')

  tmux('send-keys', '-t', 'dash', 'l')
  for (let i = 0; i < 100 && !new RegExp(`└─ ${waiterPid}`).test(screen); i++) {
    await sleep(100)
    screen = capture()
  }
  t.regex(screen, new RegExp(`^[▶ ] ${holderPid}\\s+holds AccessExclusiveLock\\s+dash_lock`, 'm'))
  t.regex(screen, new RegExp(`└─ ${waiterPid}\\s+waits AccessShareLock\\s+dash_lock`))

  tmux('send-keys', '-t', 'dash', 'q')
  for (let i = 0; i < 200 && !existsSync(exitFile); i++) await sleep(100)
  t.true(existsSync(exitFile), 'the dashboard exited')
  t.is(readFileSync(exitFile, 'utf8').trim(), '0')
  t.notRegex(capture(), /fluxadmin dashboard/, 'back on the main screen')

  await holder.query('ROLLBACK')
  await waiting
})

test('next to pg_activity on the same workload (a blocking chain, idle in transaction, a busy statement): every session it shows, the dashboard shows, at 200x50 and 80x24', async (t) => {
  const db = await freshDb(t)
  await db.pg.query('CREATE TABLE side_lock (id int)')
  const clients = await Promise.all(
    ['side-holder', 'side-waiter', 'side-idle-tx', 'side-busy'].map(async (name) => {
      const c = new pg.Client({connectionString: db.url, application_name: name})
      c.on('error', () => {})
      await c.connect()
      return c
    }),
  )
  t.teardown(async () => {
    for (const c of clients) await c.end().catch(() => {})
  })
  const [holder, waiter, idleTx, busy] = clients
  const pids = await Promise.all(
    clients.map(async (c) => (await c.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number),
  )
  await holder.query('BEGIN; LOCK TABLE side_lock IN ACCESS EXCLUSIVE MODE')
  const waiting = waiter.query('SELECT count(*) FROM side_lock').catch((e) => e)
  await idleTx.query('BEGIN; SELECT 1')
  const sleeping = busy.query('SELECT pg_sleep(120)').catch((e) => e)

  const socket = `fa-side-${randomBytes(4).toString('hex')}`
  const tmux = (...args: string[]) =>
    spawnSync('tmux', ['-L', socket, ...args], {encoding: 'utf8', env: {...process.env, TERM: 'xterm-256color'}})
  t.teardown(() => {
    tmux('kill-server')
  })
  // pg_activity's process list: one line per session, its pid first and then the database.
  t.is(
    tmux(
      'new-session',
      '-d',
      '-s',
      'pga',
      '-x',
      '200',
      '-y',
      '50',
      `pg_activity --filter 'dbname:^${db.name}$' '${db.url}'`,
    ).status,
    0,
  )
  const seenByPgActivity = () =>
    [
      ...(tmux('capture-pane', '-p', '-t', 'pga').stdout ?? '').matchAll(
        new RegExp(`^\\s*(\\d+)\\s+${db.name}\\s`, 'gm'),
      ),
    ].map((m) => Number(m[1]))
  for (let i = 0; i < 300 && !pids.every((p) => seenByPgActivity().includes(p)); i++) await sleep(100)
  const shown = seenByPgActivity()
  t.true(
    pids.every((p) => shown.includes(p)),
    `pg_activity lists the four sessions (${shown.join(', ')})`,
  )

  for (const [name, width, height] of [
    ['wide', '200', '50'],
    ['narrow', '80', '24'],
  ]) {
    tmux(
      'new-session',
      '-d',
      '-s',
      name,
      '-x',
      width,
      '-y',
      height,
      `'${process.execPath}' '${BIN}' dashboard --interval 0.5 --db-url '${db.url}' --filter database=${db.name}`,
    )
    const capture = () => tmux('capture-pane', '-p', '-t', name).stdout ?? ''
    const listed = (screen: string, pid: number) => new RegExp(`^[▶ ]\\s+${pid}\\b`, 'm').test(screen)
    let screen = ''
    for (let i = 0; i < 300 && !shown.every((p) => listed(screen, p)); i++) {
      await sleep(100)
      screen = capture()
    }
    for (const pid of shown)
      t.true(listed(screen, pid), `${name}: pid ${pid} that pg_activity shows is on the dashboard`)
    const lines = screen.split('\n')
    t.regex(lines[0], /^fluxadmin dashboard/, `${name}: the title is the first line (nothing wrapped)`)
    t.regex(
      lines[2],
      /^sessions \d+\/\d+: \d+ active, \d+ idle, [1-9]\d* idle in tx, [1-9]\d* waiting/,
      `${name}: the summary`,
    )
    tmux('send-keys', '-t', name, 'q')
  }
  await holder.query('ROLLBACK')
  await waiting
  await db.pg.query('SELECT pg_cancel_backend($1)', [pids[3]])
  await sleeping
})
