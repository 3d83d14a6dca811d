import pg from 'pg'
import {runCli} from './helpers/cli.js'
import {maybe, pgbouncer, pooledDb} from './helpers/pgbouncer.js'

interface CheckJson {
  check: string
  state: string
  value: number | null
  detail: string
}

maybe('pgbouncer checks: clients waiting for a full pool page, with the longest wait and the pool usage', async (t) => {
  if (!pgbouncer) return t.fail('pgbouncer is not installed (.ci/run installs it)')
  const {db, url} = await pooledDb(t)
  const adminConsole = new URL(url)
  adminConsole.pathname = '/pgbouncer'
  const check = async (...args: string[]) => {
    // On a loaded machine the wait may pass 10 s before the check runs: only the WARNING threshold is under test.
    const r = await runCli([
      'health',
      'check',
      '--db-url',
      db.url,
      '--pgbouncer',
      adminConsole.toString(),
      '--only',
      'pgbouncer',
      '--crit',
      'pgbouncer_wait=1h',
      '--format',
      'json',
      ...args,
    ])
    return {...r, row: (name: string) => (JSON.parse(r.stdout) as CheckJson[]).find((c) => c.check === name)!}
  }
  const idle = await check()
  t.is(idle.code, 0, idle.stdout + idle.stderr)
  t.like(idle.row('pgbouncer_waiting'), {state: 'OK', value: 0})

  // The pool has 2 server connections: two open transactions take both, a third client waits.
  const clients = await Promise.all(
    [0, 1, 2].map(async () => {
      const c = new pg.Client({connectionString: url})
      await c.connect()
      c.on('error', () => {})
      return c
    }),
  )
  t.teardown(() => Promise.all(clients.map((c) => c.end().catch(() => {}))))
  for (const c of clients.slice(0, 2)) await c.query('BEGIN; SELECT 1')
  const waiting = clients[2].query('SELECT 1').catch(() => null)
  let busy = await check()
  for (
    let i = 0;
    i < 100 && !(busy.row('pgbouncer_waiting').value! >= 1 && busy.row('pgbouncer_wait').value! >= 1);
    i++
  ) {
    await new Promise((r) => setTimeout(r, 200))
    busy = await check()
  }
  t.is(busy.code, 2, busy.stdout + busy.stderr)
  t.like(busy.row('pgbouncer_waiting'), {state: 'WARNING', value: 1})
  t.regex(
    busy.row('pgbouncer_waiting').detail,
    new RegExp(
      `^${db.name}/postgres: 1 waiting, 2 active clients, 2 of 2 server connections busy, longest wait [\\d.]+s \\(transaction mode\\); find the long transactions`,
    ),
  )
  t.is(busy.row('pgbouncer_wait').state, 'WARNING')
  t.like(busy.row('pgbouncer_pool_usage'), {state: 'CRITICAL', value: 100})

  for (const c of clients.slice(0, 2)) await c.query('COMMIT')
  await waiting
  const down = await runCli([
    'health',
    'check',
    '--db-url',
    db.url,
    '--pgbouncer',
    'postgres://postgres:x@127.0.0.1:1/pgbouncer',
    '--only',
    'pgbouncer_waiting',
    '--format',
    'nagios',
  ])
  t.is(down.code, 2)
  t.regex(
    down.stdout,
    /^POSTGRES CRITICAL - .*pgbouncer_waiting CRITICAL: cannot read the PgBouncer admin console: cannot connect to PostgreSQL at 127\.0\.0\.1:1\/pgbouncer: connection refused/,
  )
})
