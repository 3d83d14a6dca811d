import test from 'ava'
import {render} from 'ink-testing-library'
import {createElement} from 'react'
import type {LockTreeRow} from '../src/activity/locks.js'
import {ActivityPane} from '../src/dashboard/components/ActivityPane.js'
import {App} from '../src/dashboard/components/App.js'
import {LockTreePane} from '../src/dashboard/components/LockTreePane.js'
import {OverviewPane} from '../src/dashboard/components/OverviewPane.js'
import {QueryPane} from '../src/dashboard/components/QueryPane.js'
import {TenantsPane} from '../src/dashboard/components/TenantsPane.js'
import {TopQueriesPane} from '../src/dashboard/components/TopQueriesPane.js'
import type {Poller} from '../src/dashboard/poller.js'
import {Summary, SUMMARY_LINES} from '../src/dashboard/components/Summary.js'
import type {ActivityRow, DashboardData, PollerState} from '../src/dashboard/types.js'

const session = (pid: number, over: Partial<ActivityRow> = {}): ActivityRow => ({
  pid,
  database: 'fluxstudio',
  user: 'app',
  application: 'api',
  client: '10.0.0.1',
  backend_type: 'client backend',
  state: 'active',
  wait_event_type: null,
  wait_event: null,
  backend_start: null,
  xact_start: null,
  query_start: null,
  duration_s: 1,
  xact_age_s: 1,
  blocked_by: [],
  blocking: [],
  query: `SELECT ${pid}`,
  cpu_pct: null,
  mem_pct: null,
  read_bytes_per_s: null,
  write_bytes_per_s: null,
  ...over,
})

const activity = [
  session(101, {
    user: 'zed',
    duration_s: 5,
    state: 'idle in transaction',
    blocking: [102],
    query: 'UPDATE projects SET name = $1',
  }),
  session(102, {
    user: 'amy',
    duration_s: 30,
    wait_event_type: 'Lock',
    wait_event: 'relation',
    blocked_by: [101, 103],
    query: 'ALTER TABLE projects ADD c int',
  }),
  session(103, {user: 'bob', duration_s: 2, query: 'SELECT count(*) FROM projects'}),
]
const lockTree: LockTreeRow[] = [
  {
    pid: 101,
    depth: 0,
    parent: null,
    tree: '101',
    blocked_by: [],
    waiting_mode: null,
    held_modes: 'RowExclusiveLock',
    locktype: 'relation',
    relation: 'projects',
    wait_s: null,
    xact_age_s: 9,
    state: 'idle in transaction',
    database: 'fluxstudio',
    user: 'zed',
    application: 'api',
    query: 'UPDATE projects SET name = $1',
  },
  {
    pid: 102,
    depth: 1,
    parent: 101,
    tree: '└─ 102',
    blocked_by: [101, 103],
    waiting_mode: 'AccessExclusiveLock',
    held_modes: null,
    locktype: 'relation',
    relation: 'projects',
    wait_s: 3,
    xact_age_s: 3,
    state: 'active',
    database: 'fluxstudio',
    user: 'amy',
    application: 'api',
    query: 'ALTER TABLE projects ADD c int',
  },
]
const data: DashboardData = {
  at: new Date('2026-01-02T03:04:05Z'),
  tick: 2,
  db_ms: 3.2,
  overview: {
    server_version: '15.8',
    uptime_s: 7200,
    connections: 12,
    max_connections: 100,
    connections_by_state: {active: 3, idle: 9},
    xacts_per_s: 250.5,
    rows_read_per_s: 1000,
    rows_written_per_s: 40,
    cache_hit_ratio: 0.9931,
    deadlocks: 0,
    temp_bytes: 2048,
    in_recovery: false,
    replicas: 0,
    replication_lag_s: null,
    standbys: [],
    oldest_xact_s: 9,
    db_size_bytes: 1968783797,
    db_growth_bytes_per_s: 2048,
    sessions_waiting: 1,
    inserts_per_s: 12,
    updates_per_s: 3,
    deletes_per_s: 0,
    temp_files: 0,
    workers: 1,
    max_workers: 8,
    autovacuum_workers: 1,
    max_autovacuum_workers: 3,
    wal_senders: 0,
    max_wal_senders: 10,
    wal_receivers: 0,
    replication_slots: 0,
    max_replication_slots: 10,
    system: null,
  },
  activity,
  blocking: lockTree,
  lockTree,
  topQueries: [
    {
      queryid: '1',
      database: 'fluxstudio',
      calls: 10,
      calls_per_s: 5,
      total_ms: 900,
      mean_ms: 90,
      rows: 10,
      query: 'SELECT slow',
    },
    {
      queryid: '2',
      database: 'fluxstudio',
      calls: 400,
      calls_per_s: 200,
      total_ms: 40,
      mean_ms: 0.1,
      rows: 400,
      query: 'SELECT fast',
    },
  ],
  tenants: [
    {organization_id: 'a', slug: 'acme', name: 'Acme', messages_5m: 3, messages_1h: 90, files_5m: 9, files_1h: 10},
    {organization_id: 'b', slug: 'beta', name: 'Beta', messages_5m: 7, messages_1h: 20, files_5m: 0, files_1h: 1},
  ],
}

/** A poller with fixed data that records what the view asked of it. */
function fixedPoller(initial: Partial<PollerState> = {}) {
  let state: PollerState = {data, connected: true, paused: false, intervalMs: 2000, showIdle: false, ...initial}
  const listeners = new Set<(s: PollerState) => void>()
  const calls: string[] = []
  const set = (patch: Partial<PollerState>) => {
    state = {...state, ...patch}
    for (const l of listeners) l(state)
  }
  const poller: Poller = {
    getState: () => state,
    subscribe(l) {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    setIntervalMs: (ms) => set({intervalMs: ms}),
    setPaused: (paused) => set({paused}),
    setShowIdle: (showIdle) => set({showIdle}),
    setLockTree: (on) => calls.push(`lockTree ${on}`),
    async signal(pids, signal) {
      calls.push(`${signal} ${pids.join(',')}`)
      return `backend ${pids.join(',')} ${signal === 'cancel' ? 'cancelled' : 'terminated'} (audited)`
    },
    async explain(statement) {
      calls.push(`explain ${statement}`)
      return {plan: ['Seq Scan on projects  (cost=0.00..1.01 rows=1 width=4)']}
    },
    async stop() {},
  }
  return {poller, calls, set}
}

const tick = (ms = 100) => new Promise((r) => setTimeout(r, ms))

/**
 * Types a key and waits until the frame shows it (slow on a loaded machine: a fixed wait of 100 ms
 * once read the frame before the key was handled), or 3 s for a key that changes nothing on screen.
 */
async function press(
  app: {stdin: {write(data: string): void}; lastFrame(): string | undefined},
  key: string,
): Promise<void> {
  const before = app.lastFrame()
  app.stdin.write(key)
  for (let waited = 0; waited < 3000 && app.lastFrame() === before; waited += 10) await tick(10)
  await tick(20)
}

/** Renders the root and waits until it has mounted and listens to keys (slow on a loaded machine). */
async function mount(props: Parameters<typeof App>[0]) {
  const app = render(createElement(App, props))
  for (let i = 0; i < 50 && !plain(app.lastFrame()).includes('q quit'); i++) await tick(20)
  await tick(300)
  return app
}
const lines = (frame: string | undefined) => (frame ?? '').split('\n')
const selectedLine = (frame: string | undefined) => lines(plain(frame)).find((l) => l.startsWith('▶'))
const plain = (s: string | undefined) => (s ?? '').replace(/\u001B\[[0-9;]*m/g, '')

test('Overview pane shows gauges and per-tick rates', (t) => {
  const {lastFrame} = render(createElement(OverviewPane, {overview: data.overview, height: 12}))
  const frame = plain(lastFrame())
  t.regex(frame, /PostgreSQL 15\.8, up 2h00m/)
  t.regex(frame, /12 \/ 100 used \(3 active, 9 idle\)/)
  t.regex(frame, /transactions\/s\s+250\.5/)
  t.regex(frame, /cache hit ratio\s+99\.31%/)
  t.regex(frame, /temp bytes \(tick\)\s+2\.0 kB/)
  t.regex(frame, /oldest transaction\s+9\.00s/)
})

test('the summary shows pg_activity\'s header figures; the machine\'s only when local, else "remote"', (t) => {
  const remote = plain(render(createElement(Summary, {overview: data.overview, width: 200})).lastFrame())
  t.is(lines(remote).length, SUMMARY_LINES)
  t.regex(remote, /PostgreSQL 15\.8 {2}up 2h00m {2}size 1\.8 GB \+2\.0 kB\/s {2}cache hit 99\.31%/)
  t.regex(
    remote,
    /sessions 12\/100: 3 active, 9 idle, 0 idle in tx, 1 waiting {2}tps 251 {2}ins\/upd\/del 12\/3\/0\/s {2}returned 1,000\/s {2}temp 0/,
  )
  t.regex(remote, /workers 1\/8 {2}autovac 1\/3 {2}wal snd 0\/10 rcv 0 {2}slots 0\/10 {2}system: remote/)
  const system = {
    mem_total_bytes: 8 * 1024 ** 3,
    mem_used_bytes: 3 * 1024 ** 3,
    swap_total_bytes: 2 * 1024 ** 3,
    swap_used_bytes: 0,
    load: [0.52, 0.4, 0.33] as [number, number, number],
  }
  const local = plain(render(createElement(Summary, {overview: {...data.overview, system}, width: 200})).lastFrame())
  t.regex(local, /mem 3\.0 GB\/8\.0 GB {2}swap 0 B\/2\.0 GB {2}load 0\.52 0\.40 0\.33/)
  const local2 = plain(
    render(
      createElement(ActivityPane, {
        rows: [session(104, {cpu_pct: 12.5, mem_pct: 1.2, read_bytes_per_s: 4096, write_bytes_per_s: 0})],
        selected: 0,
        width: 100,
        height: 4,
      }),
    ).lastFrame(),
  )
  t.regex(local2, /cpu%\s+mem%/)
  t.regex(local2, /^▶\s+104 app\s+active\s+1\.00s\s+12\.5\s+1\.2 SELECT 104/m)
  t.notRegex(
    plain(render(createElement(ActivityPane, {rows: activity, selected: 0, width: 100, height: 5})).lastFrame()),
    /cpu%/,
    'remote: no process columns',
  )
})

test('OverviewPane: the standbys of a primary with state and replay lag; the replay lag of a standby', (t) => {
  const standbys = [
    {name: 'replica-a', state: 'streaming', sync_state: 'async', replay_lag_s: 0.25, replay_bytes: 2048},
    {name: 'replica-b', state: 'catchup', sync_state: 'sync', replay_lag_s: 75, replay_bytes: 0},
  ]
  const primary = plain(
    render(createElement(OverviewPane, {overview: {...data.overview, replicas: 2, standbys}, height: 12})).lastFrame(),
  )
  t.regex(primary, /replication\s+2 standbys: replica-a streaming 250ms 2\.0 kB behind, replica-b sync catchup/)
  const standby = plain(
    render(
      createElement(OverviewPane, {overview: {...data.overview, in_recovery: true, replication_lag_s: 0}, height: 12}),
    ).lastFrame(),
  )
  t.regex(standby, /replication\s+standby, replay lag 0ms/)
})

test('Activity pane lists every blocker of a blocked session, in the given order', (t) => {
  const {lastFrame} = render(createElement(ActivityPane, {rows: activity, selected: 1, width: 100, height: 6}))
  const rows = lines(plain(lastFrame())).filter((l) => l.trim())
  t.regex(rows[0], /pid\s+user\s+application/)
  t.regex(rows[2], /^▶\s+102 amy .*Lock:relation .*30\.0s\s+101,103\s+ALTER TABLE/)
  t.is(rows.length, 4)
})

test('Lock tree, Top queries and Tenants panes render their rows', (t) => {
  const tree = plain(
    render(createElement(LockTreePane, {rows: lockTree, selected: 0, width: 100, height: 5})).lastFrame(),
  )
  t.regex(tree, /^[▶ ] 101\s+holds RowExclusiveLock\s+projects/m)
  t.regex(tree, /^[▶ ] └─ 102\s+waits AccessExclusiveLock\s+projects\s+3\.00s/m)
  const top = plain(
    render(createElement(TopQueriesPane, {rows: data.topQueries, selected: 0, width: 100, height: 5})).lastFrame(),
  )
  t.regex(top, /900\.0\s+5\.0\s+90\.00\s+10 fluxstudio\s+SELECT slow/)
  t.regex(
    plain(render(createElement(TopQueriesPane, {rows: null, selected: 0, width: 100, height: 5})).lastFrame()),
    /pg_stat_statements is not available/,
  )
  const tenants = plain(
    render(createElement(TenantsPane, {rows: data.tenants, selected: 0, width: 100, height: 5})).lastFrame(),
  )
  t.regex(tenants, /acme\s+3\s+90\s+9\s+10 Acme/)
})

test.serial('keys: numbers and tab switch panes, s cycles the sort, arrows move the selection', async (t) => {
  const {poller} = fixedPoller()
  const app = await mount({poller, title: 'db:5432/x', width: 100, height: 20})
  // Activity is first, longest first: 102 (30 s), 101 (5 s), 103 (2 s).
  t.regex(plain(selectedLine(app.lastFrame())), /^▶\s+102 amy/)
  await press(app, '\u001B[B') // down
  t.regex(plain(selectedLine(app.lastFrame())), /^▶\s+101 zed/)
  await press(app, 's') // sort by pid: 101, 102, 103; the selection follows 101 to the first row
  t.regex(plain(app.lastFrame()), /sort: pid/)
  t.regex(plain(selectedLine(app.lastFrame())), /^▶\s+101 zed/)
  t.regex(lines(plain(app.lastFrame()))[3 + SUMMARY_LINES], /^▶\s+101 zed/)
  await press(app, 's') // by user: amy, bob, zed
  const order = lines(plain(app.lastFrame()))
    .map((l) => /^[▶ ]\s+(\d{3}) /.exec(l)?.[1])
    .filter(Boolean)
  t.deepEqual(order, ['102', '103', '101'])

  await press(app, '3')
  t.regex(plain(app.lastFrame()), /time ms\s+calls\/s/)
  t.regex(lines(plain(app.lastFrame()))[3 + SUMMARY_LINES], /SELECT slow/)
  await press(app, 's') // by calls/s: the fast one first
  t.regex(lines(plain(app.lastFrame()))[3 + SUMMARY_LINES], /SELECT fast/)
  await press(app, '\t')
  t.regex(plain(app.lastFrame()), /organization\s+msgs 5m/)
  await press(app, '1')
  t.regex(plain(app.lastFrame()), /transactions\/s/)
  app.unmount()
})

test.serial('keys: / filters, l shows the lock tree, p pauses, +/- change the interval, i toggles idle', async (t) => {
  const {poller, calls} = fixedPoller()
  const app = await mount({poller, title: 'x', width: 100, height: 20})
  for (const key of ['/', 'b', 'o', 'b', '\r']) {
    await press(app, key)
  }
  const rows = lines(plain(app.lastFrame())).filter((l) => /^[▶ ]\s+\d{3} /.test(l))
  t.is(rows.length, 1)
  t.regex(rows[0], /103 bob/)
  t.regex(plain(app.lastFrame()), /filter: bob/)
  await press(app, '\u001B')
  await press(app, 'l')
  t.regex(plain(app.lastFrame()), /lock tree\s+mode/)
  t.regex(plain(app.lastFrame()), /└─ 102\s+waits AccessExclusiveLock/)
  t.deepEqual(calls, ['lockTree true'])
  await press(app, 'p')
  t.regex(plain(app.lastFrame()), /PAUSED/)
  app.stdin.write('p')
  await press(app, '+')
  t.regex(plain(app.lastFrame()), /every 3s/)
  app.stdin.write('-')
  await press(app, '-')
  t.regex(plain(app.lastFrame()), /every 1s/)
  await press(app, 'i')
  t.regex(plain(app.lastFrame()), /idle shown/)
  app.unmount()
})

test.serial('keys: c and k ask y/n before signalling the selected backend; n leaves it alone', async (t) => {
  const {poller, calls} = fixedPoller()
  const app = await mount({poller, title: 'x', width: 100, height: 20})
  await press(app, 'c')
  t.regex(plain(app.lastFrame()), /Cancel the query of backend 102 \(amy, api\)\? \[y\/n\]/)
  await press(app, 'n')
  t.deepEqual(calls, [])
  t.regex(plain(app.lastFrame()), /backend 102 left alone/)
  await press(app, '\u001B[B')
  await press(app, 'k')
  t.regex(plain(app.lastFrame()), /Terminate backend 101 \(zed, api\)\?/)
  await press(app, 'y')
  t.deepEqual(calls, ['terminate 101'])
  t.regex(plain(app.lastFrame()), /backend 101 terminated \(audited\)/)
})

test.serial(
  'keys: space tags sessions in Activity (as pg_activity), k asks once and terminates the tagged ones together; esc clears the tags',
  async (t) => {
    const {poller, calls} = fixedPoller()
    const app = await mount({poller, title: 'x', width: 100, height: 20})
    // Sorted by duration: 102, 101, 103. Space tags the selected row and moves down.
    await press(app, ' ')
    t.regex(plain(app.lastFrame()), /^\s+\*102 amy/m)
    t.regex(plain(app.lastFrame()), /1 tagged/)
    await press(app, '\u001B[B')
    await press(app, ' ')
    t.regex(plain(app.lastFrame()), /^[▶ ]\s+\*103 bob/m)
    t.false(poller.getState().paused, 'space tags in Activity, it does not pause')
    await press(app, 'k')
    t.regex(plain(app.lastFrame()), /Terminate 2 tagged backends \(102, 103\)\? \[y\/n\]/)
    await press(app, 'y')
    t.deepEqual(calls, ['terminate 102,103'], 'one call for both')
    t.notRegex(plain(app.lastFrame()), /\*10\d|tagged \(c\/k/, 'the tags are cleared once acted on')
    await press(app, ' ')
    t.regex(plain(app.lastFrame()), /1 tagged/)
    await press(app, '\u001B')
    t.notRegex(plain(app.lastFrame()), /tagged/)
    await press(app, 'k')
    t.regex(plain(app.lastFrame()), /Terminate backend \d+ \(\w+, api\)\?/, 'no tags: the selected session alone')
    app.unmount()
  },
)

test.serial(
  'keys: w only waiting sessions, b only blocking ones, p pauses, enter shows the whole query and its plain EXPLAIN',
  async (t) => {
    const {poller, calls} = fixedPoller()
    const app = await mount({poller, title: 'x', width: 100, height: 20})
    const pids = () =>
      lines(plain(app.lastFrame()))
        .map((l) => /^[▶ ]\s+(\d{3}) /.exec(l)?.[1])
        .filter(Boolean)
    t.deepEqual(pids(), ['102', '101', '103'])
    await press(app, 'w')
    t.deepEqual(pids(), ['102'], 'only the session waiting for a lock')
    t.regex(plain(app.lastFrame()), /waiting only/)
    await press(app, 'b')
    t.deepEqual(pids(), ['101'], 'only the blocker')
    await press(app, 'b')
    t.deepEqual(pids(), ['102', '101', '103'], 'b again: every session')
    await press(app, 'p')
    t.true(poller.getState().paused)
    t.regex(plain(app.lastFrame()), /PAUSED/)
    await press(app, '\r')
    const frame = plain(app.lastFrame())
    t.regex(frame, /pid 102 {2}amy/)
    t.regex(frame, /ALTER TABLE projects ADD c int/)
    t.regex(frame, /EXPLAIN\n.*Seq Scan on projects/)
    t.deepEqual(
      calls.filter((c) => c.startsWith('explain')),
      ['explain ALTER TABLE projects ADD c int'],
    )
    await press(app, 'x')
    t.deepEqual(pids(), ['102', '101', '103'], 'any key closes it')
    app.unmount()
  },
)

test.serial('q quits through the root component; a lost connection shows the error', async (t) => {
  const {poller, set} = fixedPoller()
  let exited = 0
  const app = await mount({poller, title: 'x', width: 100, height: 20, onExit: () => exited++})
  set({connected: false, error: 'lost the connection to PostgreSQL at db:5432/x', retryAt: Date.now() + 1000})
  await tick()
  t.regex(plain(app.lastFrame()), /DISCONNECTED/)
  t.regex(plain(app.lastFrame()), /lost the connection to PostgreSQL at db:5432\/x \(reconnecting\)/)
  await press(app, '?')
  t.regex(plain(app.lastFrame()), /terminate the selected backend/)
  await press(app, 'q')
  t.is(exited, 1)
})

test("escape sequences and bidi overrides in a session's query reach the terminal as visible stand-ins, in the panes and the query detail", (t) => {
  const hostile = 'SELECT 1 /* \u001B]52;c;ZXZpbA==\u0007 \u001B[2J \u202Egnp.exe */'
  const pane =
    render(
      createElement(ActivityPane, {
        rows: [session(105, {query: hostile, application: 'x\u001B]52;c;ZXZpbA==\u0007'})],
        selected: 0,
        width: 100,
        height: 4,
      }),
    ).lastFrame() ?? ''
  const detail =
    render(
      createElement(QueryPane, {
        detail: {session: session(105, {query: hostile}), plan: {plan: ['Result \u001B]0;title\u0007']}},
        width: 90,
        height: 10,
      }),
    ).lastFrame() ?? ''
  for (const frame of [pane, detail]) {
    // Ink's own styling is CSI ... m; nothing else may come from the data.
    t.notRegex(frame.replace(/\u001B\[[0-9;]*m/g, ''), /[\u0000-\u0008\u000b-\u001f\u007f\u202e]/)
    t.true(frame.includes('␛]52;c;'), frame)
  }
  t.true(detail.includes('␛[2J') && detail.includes('\uFFFDgnp.exe') && detail.includes('Result ␛]0;title␇'), detail)
})
