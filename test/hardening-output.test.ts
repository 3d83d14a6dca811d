import {execFileSync, spawn} from 'node:child_process'
import {
  chmodSync,
  chownSync,
  createReadStream,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import {join} from 'node:path'
import test from 'ava'
import {parse} from 'csv-parse/sync'
import pg from 'pg'
import {protectCell} from '../src/output/csv-protect.js'
import {runCli, type CliResult} from './helpers/cli.js'
import {canTrace, durableReplace, traceCli} from './helpers/durability.js'
import {freshDb, type TestDb} from './helpers/db.js'

const HOSTILE = [
  "=cmd|' /C calc'!A0",
  '+SUM(1+1)',
  '@SUM(1)',
  '-2+3',
  '\tTab start',
  '\r=cr start',
  '=quoted, with "comma"',
  'plain name',
]
const NOWHERE = 'postgres://u:x@127.0.0.1:1/db'
let db: TestDb
let dir: string
let dropDb: () => Promise<void> = async () => {}

test.after.always(() => dropDb())

test.before(async (t) => {
  db = await freshDb({
    after: {
      always: (fn) => {
        dropDb = fn
      },
    },
  })
  dir = join(process.env.FLUXADMIN_TEST_DIR!, `output-${db.name}`)
  mkdirSync(dir)
  for (const [i, name] of HOSTILE.entries()) {
    await db.pg.query("INSERT INTO organizations (name, slug, type) VALUES ($1, $2, 'studio')", [name, `org-${i}`])
  }
  t.pass()
})

function oneLine(t: {regex: (s: string, r: RegExp) => void; notRegex: (s: string, r: RegExp) => void}, r: CliResult) {
  t.regex(r.stderr, /^Error: [^\n]+\n(Hint: [^\n]+\n)?$/)
  t.notRegex(r.stderr, /at .*\.js:\d+|Unhandled/)
}

const names = (csv: string) =>
  (parse(csv, {columns: true}) as Array<Record<string, string>>).map((r) => r.organization_name ?? r.name)

test('CSV protects formula-like text cells by default; --csv-raw and JSON keep them as they are', async (t) => {
  const csv = await runCli(['orgs', 'list', '--db-url', db.url, '--format', 'csv'])
  t.is(csv.code, 0, csv.stderr)
  t.deepEqual(names(csv.stdout).sort(), HOSTILE.map(protectCell).sort())
  t.true(csv.stdout.includes(`'=cmd|' /C calc'!A0`))
  const raw = await runCli(['orgs', 'list', '--db-url', db.url, '--format', 'csv', '--csv-raw'])
  t.deepEqual(names(raw.stdout).sort(), [...HOSTILE].sort())
  const json = await runCli(['orgs', 'list', '--db-url', db.url, '--json'])
  t.deepEqual((JSON.parse(json.stdout) as Array<{name: string}>).map((r) => r.name).sort(), [...HOSTILE].sort())
  // Numbers are not text: members 0 stays 0.
  t.true((parse(csv.stdout, {columns: true}) as Array<Record<string, string>>).every((r) => r.members === '0'))
})

test('reports run CSV through COPY: text cells protected while streaming, --csv-raw is byte-identical to COPY', async (t) => {
  const run = (...extra: string[]) =>
    runCli(['reports', 'run', 'tenant-usage', '--db-url', db.url, '--format', 'csv', ...extra])
  const [protectedCsv, raw, viaRows] = await Promise.all([
    run(),
    run('--csv-raw'),
    runCli(['reports', 'run', 'tenant-usage', '--db-url', db.url, '--format', 'csv'], {
      env: {FLUXADMIN_REPORT_VIA: 'rows'},
    }),
  ])
  t.is(protectedCsv.code, 0, protectedCsv.stderr)
  const rawRows = parse(raw.stdout, {columns: true}) as Array<Record<string, string>>
  const safeRows = parse(protectedCsv.stdout, {columns: true}) as Array<Record<string, string>>
  t.is(safeRows.length, HOSTILE.length)
  const text = new Set(['organization_slug', 'organization_name', 'type', 'subscription_tier', 'subscription_status'])
  for (const [i, row] of rawRows.entries()) {
    for (const [key, value] of Object.entries(row))
      t.is(safeRows[i][key], text.has(key) && value !== '' ? protectCell(value) : value, key)
  }
  t.deepEqual(names(raw.stdout).sort(), [...HOSTILE].sort())
  // The same cells as the row-by-row renderer protects.
  t.deepEqual(names(viaRows.stdout).sort(), names(protectedCsv.stdout).sort())
  // --csv-raw is what COPY writes: compare with the server's own COPY of the name column.
  const {rows} = await db.pg.query('SELECT name FROM organizations ORDER BY slug')
  for (const {name} of rows)
    t.true(raw.stdout.includes(/[",\r\n]/.test(name) ? `"${name.replace(/"/g, '""')}"` : name), name)
})

test('--out writes through to /dev/null, a fifo and -, and /dev/full is one line with exit 4', async (t) => {
  const devNull = await runCli(['orgs', 'list', '--db-url', db.url, '--out', '/dev/null'])
  t.is(devNull.code, 0, devNull.stderr)
  t.true(statSync('/dev/null').isCharacterDevice())
  const full = await runCli([
    'reports',
    'run',
    'tenant-usage',
    '--db-url',
    db.url,
    '--format',
    'csv',
    '--out',
    '/dev/full',
  ])
  t.is(full.code, 4, full.stderr)
  oneLine(t, full)
  t.regex(full.stderr, /no space left on device/)
  t.true(statSync('/dev/full').isCharacterDevice())
  const fullJson = await runCli(['orgs', 'list', '--db-url', db.url, '--out', '/dev/full', '--format', 'ndjson'])
  t.is(fullJson.code, 4, fullJson.stderr)
  const dash = await runCli(['orgs', 'list', '--db-url', db.url, '--out', '-', '--format', 'json'])
  t.is(dash.code, 0, dash.stderr)
  t.is(JSON.parse(dash.stdout).length, HOSTILE.length)
  t.false(existsSync('-'))

  const fifo = join(dir, 'out.fifo')
  execFileSync('mkfifo', [fifo])
  const reading = new Promise<string>((resolve, reject) => {
    let text = ''
    createReadStream(fifo, 'utf8')
      .on('data', (d) => {
        text += d
      })
      .on('end', () => resolve(text))
      .on('error', reject)
  })
  const viaFifo = await runCli(['orgs', 'list', '--db-url', db.url, '--out', fifo, '--format', 'json'])
  t.is(viaFifo.code, 0, viaFifo.stderr)
  t.is(JSON.parse(await reading).length, HOSTILE.length)
  t.true(lstatSync(fifo).isFIFO())
  t.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith('.tmp')),
    [],
  )
})

test('--out through a symlink replaces the target in its own directory and keeps the link', async (t) => {
  const targetDir = join(dir, 'real')
  mkdirSync(targetDir)
  const target = join(targetDir, 'orgs.csv')
  writeFileSync(target, 'old\n')
  const link = join(dir, 'link.csv')
  symlinkSync(target, link)
  const r = await runCli(['orgs', 'list', '--db-url', db.url, '--out', link, '--csv-raw'])
  t.is(r.code, 0, r.stderr)
  t.true(lstatSync(link).isSymbolicLink())
  t.is(readlinkSync(link), target)
  t.deepEqual(names(readFileSync(target, 'utf8')).sort(), [...HOSTILE].sort())
  // A dangling link: the file is created where it points.
  const dangling = join(dir, 'dangling.json')
  symlinkSync('real/new.json', dangling)
  t.is((await runCli(['orgs', 'list', '--db-url', db.url, '--out', dangling])).code, 0)
  t.true(lstatSync(dangling).isSymbolicLink())
  t.is(JSON.parse(readFileSync(join(targetDir, 'new.json'), 'utf8')).length, HOSTILE.length)
})

test('--out over an existing file keeps its permissions, owner and group (a new file is 0640)', async (t) => {
  const existing = join(dir, 'shared.csv')
  writeFileSync(existing, 'old\n')
  chmodSync(existing, 0o664)
  // As root, the file may belong to someone else: the replacement goes on belonging to them.
  const owner = process.getuid?.() === 0 ? {uid: 1, gid: 1} : {uid: statSync(existing).uid, gid: statSync(existing).gid}
  chownSync(existing, owner.uid, owner.gid)
  const r = await runCli(['orgs', 'list', '--db-url', db.url, '--format', 'csv', '--out', existing])
  t.is(r.code, 0, r.stderr)
  const after = statSync(existing)
  t.is(after.mode & 0o777, 0o664)
  t.like(after, owner)
  t.not(readFileSync(existing, 'utf8'), 'old\n')
  const fresh = join(dir, 'fresh.csv')
  t.is((await runCli(['orgs', 'list', '--db-url', db.url, '--format', 'csv', '--out', fresh])).code, 0)
  t.is(statSync(fresh).mode & 0o777, 0o640)
})

test("--out replaces a write-only file in a directory it may write but not read, without root's override of file modes", async (t) => {
  const box = join(dir, 'write-only-box')
  mkdirSync(box)
  const existing = join(box, 'report.csv')
  writeFileSync(existing, 'old\n')
  chmodSync(existing, 0o200)
  chmodSync(box, 0o333)
  t.teardown(() => chmodSync(box, 0o755))
  // As any user but root: without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH, file modes apply to root too.
  const r = await runCli(['reports', 'run', 'tenant-usage', '--out', existing, '--db-url', db.url], {
    wrap: ['setpriv', '--bounding-set=-dac_override,-dac_read_search'],
  })
  t.is(r.code, 0, r.stderr)
  t.is(statSync(existing).mode & 0o777, 0o200)
  t.regex(readFileSync(existing, 'utf8'), /^organization_slug,/)
})

test('--out into a missing directory or onto a directory fails before connecting, in one line', async (t) => {
  for (const command of [
    ['reports', 'run', 'tenant-usage', '--format', 'csv'],
    ['health', 'check', '--format', 'nagios'],
  ]) {
    const missing = await runCli([...command, '--db-url', NOWHERE, '--out', '/nonexistent/x.csv'])
    t.is(missing.code, 4, `${command.join(' ')}: ${missing.stderr}`)
    oneLine(t, missing)
    t.regex(missing.stderr, /directory \/nonexistent does not exist/)
    const directory = await runCli([...command, '--db-url', NOWHERE, '--out', dir])
    t.is(directory.code, 2, `${command.join(' ')}: ${directory.stderr}`)
    oneLine(t, directory)
    t.regex(directory.stderr, /is a directory/)
  }
})

test('backup create --dir in /proc or /sys: one line, exit 4, before connecting', async (t) => {
  for (const path of ['/proc/fluxadmin-x/y', '/sys/fluxadmin-x']) {
    const r = await runCli(['backup', 'create', '--dir', path, '--db-url', NOWHERE], {timeoutMs: 30_000})
    t.is(r.code, 4, `${path}: ${r.stderr}`)
    oneLine(t, r)
    t.notRegex(r.stderr, /database error/)
  }
  const file = join(dir, 'a-file')
  writeFileSync(file, '')
  const notDir = await runCli(['backup', 'create', '--dir', file, '--db-url', NOWHERE])
  t.is(notDir.code, 2, notDir.stderr)
})

test('temporary files of killed runs are removed by the next run into that directory', async (t) => {
  const out = join(dir, 'stale')
  mkdirSync(out)
  const dead = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['-e', ''])
    child.on('exit', () => resolve(child.pid!))
  })
  const stale = join(out, `.orgs.csv.${dead}.1764000000000.tmp`)
  const live = join(out, `.orgs.csv.${process.pid}.1764000000000.tmp`)
  const staleManifest = join(out, `.x.manifest.json.${dead}.tmp`)
  writeFileSync(stale, 'partial')
  writeFileSync(staleManifest, '{')
  writeFileSync(live, 'in progress')
  const r = await runCli(['orgs', 'list', '--db-url', db.url, '--out', join(out, 'orgs.csv')])
  t.is(r.code, 0, r.stderr)
  t.false(existsSync(stale))
  t.false(existsSync(staleManifest))
  t.true(existsSync(live))
  t.true(existsSync(join(out, 'orgs.csv')))
})

test('errors cut long echoed input to a bounded line, and show its tabs and line breaks instead of breaking the line', async (t) => {
  for (const args of [
    ['orgs', 'update', 'org-7', '--type', 'studio\n\tx', '--yes'],
    ['audit', 'list', '--since', '\t\n'],
  ]) {
    const broken = await runCli([...args, '--db-url', db.url])
    t.is(broken.code, 2, broken.stderr)
    oneLine(t, broken)
    t.regex(broken.stderr, /"(studio␊␉x|␉␊)"/)
  }
  const long = 'x'.repeat(100_000)
  const r = await runCli(['orgs', 'show', long, '--db-url', db.url])
  t.is(r.code, 2, r.stderr.slice(0, 300))
  oneLine(t, r)
  t.true(r.stderr.length < 1500, `${r.stderr.length} characters`)
  t.regex(r.stderr, /x… \(\d+ more characters\)/)
  const csv = join(dir, 'long.csv')
  writeFileSync(
    csv,
    `email,name,user_type,role\n${'y'.repeat(2_000_000)}@example.org,Y,client,member\n${'bad '.repeat(100_000)},Z,client,member\n`,
  )
  const onboard = await runCli(['onboard', csv, '--org', 'org-7', '--db-url', db.url, '--json'])
  t.is(onboard.code, 2)
  t.true(onboard.stdout.length < 1500, `${onboard.stdout.length} characters`)
  t.regex(JSON.parse(onboard.stdout).error.message, /more characters\)/)
})

test('escape sequences in data (a name a user chose, the text of a running query) reach a table as visible stand-ins; CSV and JSON keep the value', async (t) => {
  const osc52 = '\u001B]52;c;ZXZpbA==\u0007'
  const db = await freshDb(t)
  await db.pg.query("INSERT INTO organizations (name, slug, type) VALUES ($1, 'escapes', 'studio')", [
    `Evil ${osc52} \u202Eexe.pdf`,
  ])
  const table = await runCli(['orgs', 'show', 'escapes', '--db-url', db.url, '--format', 'table'])
  t.is(table.code, 0, table.stderr)
  t.notRegex(table.stdout, /[\u0000-\u0008\u000b-\u001f\u007f\u202e]/)
  t.true(table.stdout.includes('Evil ␛]52;c;ZXZpbA==␇ \uFFFDexe.pdf'), table.stdout)
  const csv = await runCli(['orgs', 'show', 'escapes', '--db-url', db.url, '--format', 'csv'])
  t.true(csv.stdout.includes(osc52), 'CSV carries the value as stored')
  t.is(
    JSON.parse((await runCli(['orgs', 'show', 'escapes', '--db-url', db.url, '--format', 'json'])).stdout)[0].name,
    `Evil ${osc52} \u202Eexe.pdf`,
  )

  // Anyone who can send a query can put escapes in pg_stat_activity.query.
  const sleeper = new pg.Client({connectionString: db.url})
  await sleeper.connect()
  t.teardown(() => sleeper.end().catch(() => {}))
  const sleeping = sleeper.query(`SELECT pg_sleep(20) /* ${osc52} */`).catch(() => {})
  let shown = ''
  for (let i = 0; i < 50 && !shown.includes('pg_sleep'); i++) {
    shown = (await runCli(['activity', '--db-url', db.url, '--format', 'table', '--wide'])).stdout
    if (!shown.includes('pg_sleep')) await new Promise((r) => setTimeout(r, 100))
  }
  t.true(shown.includes('pg_sleep(20) /* ␛]52;c;ZXZpbA==␇ */'), shown)
  t.notRegex(shown, /[\u0000-\u0008\u000b-\u001f\u007f]/)
  await db.pg.query("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(20)%'")
  await sleeping
})

;(canTrace ? test : test.skip)(
  '--out and an organization archive reach the disk before their name: the file synced, renamed, the directory synced',
  async (t) => {
    const out = join(dir, 'durable.csv')
    const report = await traceCli(['reports', 'run', 'tenant-usage', '--out', out, '--db-url', db.url], dir)
    t.is(report.code, 0, report.stderr)
    t.is(durableReplace(report.calls, out), 'durable')
    const archive = join(dir, 'durable.tar')
    const exported = await traceCli(['orgs', 'export', 'org-7', '--out', archive, '--db-url', db.url], dir)
    t.is(exported.code, 0, exported.stderr)
    t.is(durableReplace(exported.calls, archive), 'durable')
  },
)
