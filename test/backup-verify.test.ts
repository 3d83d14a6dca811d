import {readFileSync} from 'node:fs'
import test from 'ava'
import {runCli} from './helpers/cli.js'
import {createdWithCli, databaseExists, parseJson} from './backup-fixtures.js'

test('backup verify passes all seven steps, audits, records the result, and backup list shows it verified', async (t) => {
  const {
    db,
    dir,
    row: {file},
  } = await createdWithCli(t)

  const result = await runCli(['backup', 'verify', file, '--db-url', db.url, '--format', 'json', '--actor', 'cron'], {
    timeoutMs: 150_000,
  })
  t.is(result.code, 0, result.stderr + result.stdout)
  const steps = parseJson(result)
  t.deepEqual(
    steps.map((s: {name: string}) => s.name),
    ['checksum', 'archive', 'restore', 'schema', 'row_counts', 'amcheck', 'cleanup'],
  )
  t.true(
    steps.every((s: {status: string; duration_ms: number}) => s.status === 'pass' && s.duration_ms >= 0),
    JSON.stringify(steps),
  )
  t.regex(steps[4].detail, /11 rows and 2 organizations' counts match/)
  t.regex(steps[5].detail, /^\d+ B-tree indexes checked/)
  t.regex(steps[6].detail, /^dropped fluxadmin_verify_\d{14}_[0-9a-f]{6}$/)
  t.false(await databaseExists(steps[6].detail.replace('dropped ', '')))

  const {
    rows: [audit],
  } = await db.pg.query("SELECT severity, metadata FROM security_events WHERE event_type = 'admin.backup.verified'")
  t.is(audit.severity, 'info')
  t.is(audit.metadata.actor, 'cron')
  t.is(audit.metadata.ok, true)
  t.is(JSON.parse(readFileSync(`${file}.verify.json`, 'utf8')).ok, true)

  const list = await runCli(['backup', 'list', '--dir', dir, '--format', 'json'])
  t.is(list.code, 0, list.stderr)
  const [listed] = parseJson(list)
  t.like(listed, {database: db.name, verified: 'yes', format: 'custom', failed_step: null})
  t.true(listed.size_bytes > 1000)

  // Table output (default when piped is csv): one line per step.
  const table = await runCli(['backup', 'verify', `${file}.manifest.json`, '--db-url', db.url, '--format', 'csv'], {
    timeoutMs: 150_000,
  })
  t.is(table.code, 0, table.stderr)
  t.regex(table.stdout, /^step,name,status,duration_ms,detail\n1,checksum,pass,\d+,/)
})
