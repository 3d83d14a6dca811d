// Limited roles: a monitoring role still gets a verdict from every check it can run, and a role that may not
// signal another role's process is told so (issue 32: D4 and the backend terminate item).
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import test from 'ava'
import pg from 'pg'
import {tempDir} from './backup-fixtures.js'
import {runCli} from './helpers/cli.js'
import {freshDb} from './helpers/db.js'
import {limitedRole} from './helpers/roles.js'

test('health check as pg_monitor without USAGE on schema fluxadmin: failed checks are UNKNOWN with the reason, the rest run, exit 0-3', async (t) => {
  const db = await freshDb(t)
  // database_growth reads fluxadmin.stat_snapshots, which this role may not even look into.
  const monitor = await limitedRole(t, db, ['GRANT pg_monitor TO {role}', 'REVOKE ALL ON SCHEMA fluxadmin FROM PUBLIC'])
  const nagios = await runCli(['health', 'check', '--format', 'nagios', '--db-url', monitor.url])
  t.true(nagios.code >= 0 && nagios.code <= 3, `exit ${nagios.code}: ${nagios.stderr}`)
  t.regex(
    nagios.stdout,
    /^POSTGRES (UNKNOWN|WARNING|CRITICAL) - \S+: .*database_growth UNKNOWN: check failed: permission denied: permission denied for schema fluxadmin.* \| .*'connection'=[\d.]+s/,
  )
  t.regex(nagios.stdout, /'database_growth'=0B/)
  const out = join(tempDir(t), 'fluxadmin.prom')
  for (const extra of [
    ['--skip', 'app'],
    ['--statement-timeout', '1ms'],
  ]) {
    const prom = await runCli([
      'health',
      'check',
      '--format',
      'prometheus',
      '--out',
      out,
      ...extra,
      '--db-url',
      monitor.url,
    ])
    t.true(prom.code >= 0 && prom.code <= 3, `${extra.join(' ')}: exit ${prom.code}: ${prom.stderr}`)
    t.is(prom.stdout, '')
    t.regex(
      readFileSync(out, 'utf8'),
      /fluxadmin_health_check_status\{.*check="database_growth"\} 3\n/,
      extra.join(' '),
    )
  }
  const timedOut = await runCli([
    'health',
    'check',
    '--format',
    'json',
    '--statement-timeout',
    '1ms',
    '--db-url',
    monitor.url,
  ])
  // Server-wide checks see the other test files' locks and sessions: any verdict 0-3, never the old exit 6.
  t.true(timedOut.code >= 0 && timedOut.code <= 3, timedOut.stderr)
  const states = JSON.parse(timedOut.stdout) as Array<{check: string; state: string; detail: string}>
  t.like(
    states.find((c) => c.check === 'connection'),
    {state: 'OK'},
  )
  t.true(
    states.some((c) => c.state === 'UNKNOWN' && /statement cancelled|statement timeout/.test(c.detail)),
    JSON.stringify(states),
  )
})

test("backend terminate of another role's process by a role that may not signal it: exit 6 with the reason, nothing signalled", async (t) => {
  const db = await freshDb(t)
  const plain = await limitedRole(t, db)
  const other = await limitedRole(t, db)
  const victim = new pg.Client({connectionString: other.url, application_name: 'fa-victim'})
  await victim.connect()
  t.teardown(() => victim.end().catch(() => {}))
  const {
    rows: [{pid}],
  } = await victim.query('SELECT pg_backend_pid() AS pid')
  const r = await runCli(['backend', 'terminate', String(pid), '--yes', '--db-url', plain.url])
  t.is(r.code, 6, r.stderr)
  t.regex(
    r.stderr,
    new RegExp(
      `^Error: cannot terminate backend ${pid}: not visible: .* has the privileges of neither .*\\nHint: connect as its role, a member of it, or a role in pg_signal_backend`,
    ),
  )
  t.is((await victim.query('SELECT 1 AS one')).rows[0].one, 1, 'the victim lives')
})
