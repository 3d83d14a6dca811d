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
  const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], {encoding: 'utf8', env: {...process.env, TERM: 'xterm-256color'}})
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
