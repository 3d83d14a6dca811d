import test from 'ava'
import pg from 'pg'
import {connectionsCheck} from '../src/health/connections.js'
import {runCli} from './helpers/cli.js'
import {freshDb} from './helpers/db.js'

test('activity --summary counts connections by state, user, application and client against max_connections and the reserved slots; the health check names the top groups', async (t) => {
  const db = await freshDb(t)
  const open = async (application: string, inTransaction: boolean) => {
    const client = new pg.Client({connectionString: db.url, application_name: application})
    client.on('error', () => {})
    await client.connect()
    t.teardown(() => client.end().catch(() => {}))
    if (inTransaction) await client.query('BEGIN; SELECT 1')
  }
  await Promise.all([
    ...Array.from({length: 25}, () => open('fa-sum-api', false)),
    ...Array.from({length: 3}, () => open('fa-sum-worker', true)),
  ])

  const result = await runCli(['activity', '--summary', '--db-url', db.url, '--format', 'json'])
  t.is(result.code, 0, result.stderr)
  const rows = JSON.parse(result.stdout) as Array<{
    group: string
    value: string
    connections: number
    pct_of_max: number
  }>
  const row = (group: string, value: string) => rows.find((r) => r.group === group && r.value === value)
  t.like(row('application', 'fa-sum-api'), {connections: 25, pct_of_max: 8.3})
  t.like(row('application', 'fa-sum-worker'), {connections: 3})
  t.like(row('limit', 'max_connections'), {connections: 300})
  t.like(row('limit', 'superuser_reserved_connections'), {connections: 3})
  t.like(row('limit', 'reserved_connections'), {connections: 0}, 'PostgreSQL 15 has none')
  const total = row('total', 'client connections')!.connections
  t.true(total >= 29, "ours and this command's own")
  t.is(row('limit', 'free for other roles')!.connections, 300 - 3 - total)
  t.true(row('state', 'idle in transaction')!.connections >= 3)
  t.true(row('client', '127.0.0.1')!.connections >= 28)
  t.deepEqual([...new Set(rows.map((r) => r.group))], ['total', 'limit', 'state', 'user', 'application', 'client'])

  const check = await runCli(['health', 'check', '--only', 'connections', '--db-url', db.url, '--format', 'json'])
  t.is(check.code, 0, check.stderr)
  const [connections] = JSON.parse(check.stdout)
  t.regex(
    connections.detail,
    /^\d+ of 300 connections \(3 reserved for superusers\); most by user: postgres \d+.*; application: .*fa-sum-api 25.*; client: 127\.0\.0\.1 \d+.*; state: .*; see `fluxadmin activity --summary`$/,
  )
})

test('the connections check: % of the slots ordinary roles may open, reserved_connections (16+) included', (t) => {
  const rows = [
    {group: 'total', value: 'client connections', connections: 90, pct_of_max: 90},
    {group: 'limit', value: 'max_connections', connections: 100, pct_of_max: 100},
    {group: 'limit', value: 'superuser_reserved_connections', connections: 3, pct_of_max: 3},
    {group: 'limit', value: 'reserved_connections', connections: 7, pct_of_max: 7},
    {group: 'state', value: 'idle', connections: 80, pct_of_max: 80},
    {group: 'user', value: 'app', connections: 85, pct_of_max: 85},
    {group: 'user', value: 'postgres', connections: 5, pct_of_max: 5},
    {group: 'application', value: 'api', connections: 60, pct_of_max: 60},
    {group: 'client', value: '10.0.0.5', connections: 50, pct_of_max: 50},
  ]
  t.deepEqual(connectionsCheck(rows), {
    value: 100,
    detail:
      '90 of 100 connections (3 reserved for superusers, 7 for pg_use_reserved_connections); most by user: app 85, postgres 5; application: api 60; client: 10.0.0.5 50; state: idle 80; see `fluxadmin activity --summary`',
  })
})
