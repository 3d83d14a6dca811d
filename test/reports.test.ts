import {existsSync, mkdtempSync, readFileSync, readdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {gunzipSync} from 'node:zlib'
import test from 'ava'
import {parse} from 'csv-parse/sync'
import {runCli} from './helpers/cli.js'
import {fixtureDb, ids, sameCell, SINCE, UNTIL} from './reports-fixture.js'

const db = fixtureDb(test)

const win = ['--since', SINCE, '--until', UNTIL]
async function json(args: string[]) {
  const r = await runCli(['reports', 'run', ...args, '--db-url', db().url, '--json'])
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`)
  return JSON.parse(r.stdout)
}
const ts = (d: string) => new Date(d).toISOString()

test('reports list shows every report with its parameters and columns, without a database', async (t) => {
  const r = await runCli(['reports', 'list', '--json'])
  t.is(r.code, 0, r.stderr)
  const list = JSON.parse(r.stdout)
  t.deepEqual(
    list.map((x: {name: string}) => x.name),
    [
      'message-volume',
      'messages-export',
      'projects-overdue',
      'security-summary',
      'storage',
      'tenant-usage',
      'user-activity',
    ],
  )
  const usage = list.find((x: {name: string}) => x.name === 'tenant-usage')
  t.regex(usage.description, /Per organization/)
  t.regex(usage.parameters, /--org .*; --since \(window start; default 30d\); --until/)
  t.regex(usage.columns, /^organization_slug, organization_name, .*, last_activity_at$/)
  t.is(
    list.find((x: {name: string}) => x.name === 'storage').parameters,
    '--org (only this organization; all when absent)',
  )
})

test('tenant-usage: members, active users, teams, projects by status, files, messages in the window, last activity', async (t) => {
  const base = {subscription_status: 'active', projects_cancelled: 0}
  t.deepEqual(await json(['tenant-usage', ...win]), [
    {
      organization_slug: 'acme',
      organization_name: 'Acme Studio',
      type: 'studio',
      subscription_tier: 'pro',
      ...base,
      members: 3,
      active_users: 1,
      teams: 1,
      projects_planning: 1,
      projects_active: 1,
      projects_on_hold: 0,
      projects_completed: 1,
      files: 3,
      file_bytes: 450,
      messages: 3,
      last_activity_at: ts('2026-02-10T00:00:00Z'),
    },
    {
      organization_slug: 'beta',
      organization_name: 'Beta University',
      type: 'university',
      subscription_tier: 'free',
      ...base,
      members: 2,
      active_users: 1,
      teams: 0,
      projects_planning: 0,
      projects_active: 0,
      projects_on_hold: 1,
      projects_completed: 0,
      files: 1,
      file_bytes: 1000,
      messages: 1,
      last_activity_at: ts('2026-03-01T00:00:00Z'),
    },
  ])
  const beta = await json(['tenant-usage', '--org', 'beta', ...win])
  t.deepEqual(
    beta.map((r: {organization_slug: string}) => r.organization_slug),
    ['beta'],
  )
})

test('user-activity: last login, memberships, messages and files in the window, inactive accounts', async (t) => {
  const rows = [
    {
      email: 'alice@acme.test',
      name: 'Alice',
      user_type: 'admin',
      activity: 'active',
      last_login_at: ts('2026-02-15'),
      created_at: ts('2025-06-01'),
      organizations: 'acme',
      messages: 2,
      files: 1,
    },
    {
      email: 'bob@acme.test',
      name: 'Bob',
      user_type: 'designer',
      activity: 'inactive',
      last_login_at: ts('2026-01-10'),
      created_at: ts('2025-06-02'),
      organizations: 'acme',
      messages: 1,
      files: 0,
    },
    {
      email: 'carol@beta.test',
      name: 'Carol',
      user_type: 'client',
      activity: 'never_logged_in',
      last_login_at: null,
      created_at: ts('2025-06-03'),
      organizations: 'acme beta',
      messages: 1,
      files: 0,
    },
    {
      email: 'dave@beta.test',
      name: 'Dave',
      user_type: 'designer',
      activity: 'disabled',
      last_login_at: ts('2026-02-20'),
      created_at: ts('2025-06-04'),
      organizations: 'beta',
      messages: 0,
      files: 1,
    },
  ]
  t.deepEqual(await json(['user-activity', ...win]), rows)
  // Scoped to beta: only its members, counting only beta's messages and files.
  t.deepEqual(await json(['user-activity', '--org', 'beta', ...win]), [rows[2], rows[3]])
})

test('projects-overdue: past due, not completed or cancelled, as of --until', async (t) => {
  t.deepEqual(await json(['projects-overdue', '--until', UNTIL]), [
    {
      organization_slug: 'acme',
      project_slug: 'poster',
      project_name: 'Poster',
      status: 'active',
      priority: 'high',
      due_date: '2026-02-20',
      days_overdue: 9,
      manager_email: 'alice@acme.test',
      client_email: 'carol@beta.test',
      budget: 1000.5,
      estimated_hours: 10,
      actual_hours: 15,
      hours_over: 5,
    },
    {
      organization_slug: 'beta',
      project_slug: 'show',
      project_name: 'Show',
      status: 'on-hold',
      priority: 'urgent',
      due_date: '2026-02-27',
      days_overdue: 2,
      manager_email: 'dave@beta.test',
      client_email: null,
      budget: null,
      estimated_hours: 20,
      actual_hours: 5,
      hours_over: -15,
    },
  ])
  t.deepEqual(
    (await json(['projects-overdue', '--until', '2026-02-25'])).map((r: {project_slug: string}) => r.project_slug),
    ['poster'],
  )
})

test('storage: bytes by organization and category, old versions vs latest, largest file', async (t) => {
  t.deepEqual(await json(['storage']), [
    {
      organization_slug: 'acme',
      category: 'design',
      files: 2,
      latest_files: 1,
      old_versions: 1,
      total_bytes: 400,
      latest_bytes: 300,
      old_version_bytes: 100,
      largest_file: 'a-v2',
      largest_file_bytes: 300,
    },
    {
      organization_slug: 'acme',
      category: 'reference',
      files: 1,
      latest_files: 1,
      old_versions: 0,
      total_bytes: 50,
      latest_bytes: 50,
      old_version_bytes: 0,
      largest_file: 'ref',
      largest_file_bytes: 50,
    },
    {
      organization_slug: 'beta',
      category: 'final',
      files: 1,
      latest_files: 1,
      old_versions: 0,
      total_bytes: 1000,
      latest_bytes: 1000,
      old_version_bytes: 0,
      largest_file: 'b',
      largest_file_bytes: 1000,
    },
  ])
})

test('message-volume: per UTC day and organization, the window end exclusive', async (t) => {
  t.deepEqual(await json(['message-volume', ...win]), [
    {day: '2026-02-02', organization_slug: 'acme', messages: 2, authors: 2, conversations: 1},
    {day: '2026-02-03', organization_slug: 'acme', messages: 1, authors: 1, conversations: 1},
    {day: '2026-02-03', organization_slug: 'beta', messages: 1, authors: 1, conversations: 1},
  ])
})

test('security-summary: events by day, type and severity, with the failed-login burst', async (t) => {
  t.deepEqual(await json(['security-summary', ...win]), [
    {
      day: '2026-02-05',
      event_type: 'auth.login.failed',
      severity: 'warning',
      events: 7,
      users: 2,
      ips: 2,
      burst_ips: 1,
      max_per_ip_hour: 6,
    },
    {
      day: '2026-02-06',
      event_type: 'auth.login.success',
      severity: 'info',
      events: 1,
      users: 1,
      ips: 1,
      burst_ips: 0,
      max_per_ip_hour: 1,
    },
  ])
  t.deepEqual(
    (await json(['security-summary', '--org', 'beta', ...win])).map((r: {events: number}) => r.events),
    [1],
    'only carol (a beta member) failed in beta',
  )
})

const m1 = {
  message_id: ids.m1,
  created_at: ts('2026-02-02T10:00:00Z'),
  organization_slug: 'acme',
  conversation_id: '60000000-0000-4000-8000-000000000001',
  conversation_name: 'general',
  author_email: 'alice@acme.test',
  message_type: 'text',
  priority: 'normal',
  status: 'sent',
  reply_to_id: null,
  thread_id: null,
  content: 'hello, "world"\nline two',
  mentions: [],
  attachments: [],
  metadata: {},
  edited_at: null,
  deleted_at: null,
}

test('messages-export: the raw messages with author and conversation, by org and window, oldest first', async (t) => {
  const all = await json(['messages-export'])
  t.is(all.length, 6, 'no window by default: everything')
  t.deepEqual(
    all.map((r: {content: string}) => r.content),
    ['old', m1.content, 'second', 'third', 'beta msg', null],
  )
  const acme = await json(['messages-export', '--org', 'acme', ...win])
  t.deepEqual(acme[0], m1)
  t.deepEqual(
    acme.map((r: {content: string}) => r.content),
    [m1.content, 'second', 'third'],
  )
  t.deepEqual([acme[2].mentions, acme[2].attachments, acme[2].metadata], [[ids.bob], [{name: 'x.png'}], {k: 1}])
})

test('every format: csv parses back to the same rows as json, ndjson, table, --no-header, --out with gzip', async (t) => {
  const rows = await json(['messages-export'])
  const csv = await runCli(['reports', 'run', 'messages-export', '--db-url', db().url, '--format', 'csv'])
  t.is(csv.code, 0, csv.stderr)
  t.true(csv.stdout.startsWith('message_id,created_at,organization_slug,'))
  t.true(csv.stdout.includes(`"hello, ""world""\nline two"`), 'RFC 4180 quoting')
  const parsed = parse(csv.stdout, {columns: true}) as Array<Record<string, string>>
  t.is(parsed.length, rows.length)
  parsed.forEach((row, i) => {
    t.deepEqual(Object.keys(row), Object.keys(rows[i]))
    for (const key of Object.keys(row))
      t.true(sameCell(row[key], rows[i][key]), `row ${i} ${key}: ${row[key]} vs ${JSON.stringify(rows[i][key])}`)
  })
  const nd = await runCli(['reports', 'run', 'messages-export', '--db-url', db().url, '--format', 'ndjson'])
  t.deepEqual(
    nd.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l)),
    rows,
  )
  const table = await runCli(['reports', 'run', 'storage', '--db-url', db().url, '--format', 'table'])
  t.regex(table.stdout, /^organization_slug {2}category\s+files /m)
  t.regex(table.stdout, /^beta\s+final\s+1\s/m)
  const noHeader = await runCli(['reports', 'run', 'storage', '--db-url', db().url, '--format', 'csv', '--no-header'])
  t.is(
    noHeader.stdout,
    'acme,design,2,1,1,400,300,100,a-v2,300\nacme,reference,1,1,0,50,50,0,ref,50\nbeta,final,1,1,0,1000,1000,0,b,1000\n',
  )
  const dir = mkdtempSync(join(tmpdir(), 'fa-rep-'))
  const gz = await runCli(['reports', 'run', 'messages-export', '--db-url', db().url, '--out', join(dir, 'all.csv.gz')])
  t.is(gz.code, 0, gz.stderr)
  t.is(gz.stdout, '')
  t.is(gunzipSync(readFileSync(join(dir, 'all.csv.gz'))).toString(), csv.stdout, '.gz suffix: gzip, csv from the name')
  const flag = await runCli([
    'reports',
    'run',
    'storage',
    '--db-url',
    db().url,
    '--gzip',
    '--format',
    'json',
    '--out',
    join(dir, 'storage.json'),
  ])
  t.is(flag.code, 0, flag.stderr)
  t.is(JSON.parse(gunzipSync(readFileSync(join(dir, 'storage.json'))).toString()).length, 3)
  t.deepEqual(readdirSync(dir).sort(), ['all.csv.gz', 'storage.json'], 'no temp files left')
})

test('usage errors exit 2, unknown report or organization exit 4, all with a hint', async (t) => {
  const garbage = await runCli(['reports', 'run', 'tenant-usage', '--db-url', db().url, '--since', 'last tuesday'])
  t.is(garbage.code, 2)
  t.regex(garbage.stderr, /^Error: invalid --since "last tuesday"\nHint: use a duration ago/)
  const until = await runCli(['reports', 'run', 'tenant-usage', '--db-url', db().url, '--until', '2026-13-45'])
  t.is(until.code, 2, until.stderr)
  const extra = await runCli(['reports', 'run', 'storage', '--db-url', db().url, '--since', '7d'])
  t.is(extra.code, 2)
  t.regex(extra.stderr, /report storage takes no --since\nHint: its parameters: --org/)
  const unknown = await runCli(['reports', 'run', 'revenue', '--db-url', db().url])
  t.is(unknown.code, 4)
  t.regex(unknown.stderr, /Error: no report named "revenue"\nHint: reports: message-volume, messages-export, /)
  const org = await runCli(['reports', 'run', 'storage', '--db-url', db().url, '--org', 'nope'])
  t.is(org.code, 4)
  t.regex(org.stderr, /no organization with slug "nope"/)
})

test('a failed export exits non-zero and leaves no file (a lock held past the statement timeout)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fa-rep-'))
  const out = join(dir, 'export.csv')
  const locker = await db().session()
  await locker.client.query('BEGIN; LOCK TABLE messages IN ACCESS EXCLUSIVE MODE')
  try {
    const r = await runCli([
      'reports',
      'run',
      'messages-export',
      '--db-url',
      db().url,
      '--out',
      out,
      '--statement-timeout',
      '300ms',
    ])
    t.is(r.code, 6, r.stderr)
    t.regex(r.stderr, /statement cancelled/)
    t.false(existsSync(out))
    t.deepEqual(readdirSync(dir), [])
  } finally {
    await locker.client.query('ROLLBACK')
  }
})

test('report exports add no pg_stat_statements entry per run: the COPY with its literals is not tracked', async (t) => {
  for (const [since, format] of [
    ['2026-01-01', 'csv'],
    ['2026-01-02', 'csv'],
    ['2026-01-03', 'ndjson'],
    ['2026-01-04', 'ndjson'],
  ]) {
    const r = await runCli([
      'reports',
      'run',
      'messages-export',
      '--since',
      since,
      '--until',
      UNTIL,
      '--format',
      format,
      '--db-url',
      db().url,
    ])
    t.is(r.code, 0, r.stderr)
  }
  const {rows} = await db().pg.query(
    `SELECT s.query, s.calls FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
    WHERE d.datname = $1 AND s.query LIKE '%COPY (%'`,
    [db().name],
  )
  // No entry holds a run's own values; the query inside the COPY is one normalized entry for every window.
  t.deepEqual(
    rows.filter((r) => r.query.includes('2026-01-0')).map((r) => r.query),
    [],
  )
  t.true(
    rows.some((r) => Number(r.calls) >= 2),
    JSON.stringify(rows),
  )
})
