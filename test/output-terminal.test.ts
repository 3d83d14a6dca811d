import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import test from 'ava'
import {runCli} from './helpers/cli.js'
import {freshDb, type TestDb} from './helpers/db.js'
import {fixture} from './tenants-fixtures.js'

const BIN = fileURLToPath(new URL('../bin/run.js', import.meta.url))
const ANSI = /\u001B\[[0-9;?]*[A-Za-z]/g
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

interface TerminalRun {
  code: number
  lines: string[]
  stdout: string
  stderr: string
}

/** Runs the CLI on a pseudo-terminal of `cols` columns (util-linux script), stderr to a file. */
function onTerminal(args: string[], cols: number, env: Record<string, string> = {}): Promise<TerminalRun> {
  const dir = mkdtempSync(join(tmpdir(), 'fa-term-'))
  const errFile = join(dir, 'stderr')
  const vars = Object.entries({FLUXADMIN_PAGER: '', ...env})
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join(' ')
  const command = `stty cols ${cols} rows 50; env ${vars} ${quote(process.execPath)} ${quote(BIN)} ${args.map(quote).join(' ')} 2>${quote(errFile)}`
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      env: {...process.env, TERM: 'xterm-256color', NO_COLOR: '', COLUMNS: ''},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d) => {
      out += d
    })
    child.on('error', reject)
    child.on('close', (code) => {
      const stdout = out.replace(/\r\n/g, '\n')
      resolve({
        code: code ?? -1,
        stdout,
        lines: stdout.replace(ANSI, '').split('\n').filter(Boolean),
        stderr: readFileSync(errFile, 'utf8'),
      })
    })
  })
}

let db: TestDb
let drop = async () => {}
test.after.always(() => drop())
test.before(async () => {
  db = await freshDb({
    after: {
      always: (fn) => {
        drop = fn
      },
    },
  })
  await fixture(db.pg)
  // Long names and descriptions, as real tenants have.
  await db.pg.query(`INSERT INTO organizations (name, slug, type, description)
    SELECT 'The Very Long Named Academy of Fine Arts and Design number ' || i, 'very-long-named-academy-of-fine-arts-' || i, 'university', repeat('a description ', 10)
      FROM generate_series(1, 5) i`)
})

const COMMANDS: string[][] = [
  ['orgs', 'list'],
  ['users', 'list'],
  ['members', 'list', 'north-high'],
  ['teams', 'list', '--org', 'north-high'],
  ['sessions', 'list'],
  ['stats', 'top'],
  ['stats', 'tenants'],
  ['stats', 'table-size'],
  ['health', 'check'],
  ['reports', 'run', 'tenant-usage'],
  ['activity', '--idle'],
  ['locks'],
  ['vacuum', 'status'],
  ['db', 'tables'],
  ['audit', 'list'],
  ['dashboard', '--once'],
  ['projects', 'list', 'north-high'],
  ['stats', 'index-usage'],
  ['stats', 'cache-hit'],
  ['stats', 'calls'],
  ['stats', 'unused-indexes'],
  ['stats', 'seq-scans'],
  ['stats', 'records-rank'],
  ['stats', 'duplicate-indexes'],
  ['health', 'settings'],
  ['health', 'app'],
  ['reports', 'list'],
  ['db', 'status'],
  ['vacuum', 'bloat'],
  ['vacuum', 'wraparound'],
  ['locks', '--blocking'],
  ['backup', 'list', '--dir', tmpdir()],
]

/** Commands that read no database. */
const OFFLINE = new Set(['reports list', 'backup list'])

/** Runs `fn` over the items, `width` at a time (the machine is small). */
async function pool<T, R>(items: T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = []
  let next = 0
  await Promise.all(
    Array.from({length: width}, async () => {
      while (next < items.length) {
        const i = next++
        out[i] = await fn(items[i])
      }
    }),
  )
  return out
}

for (const cols of [80, 120]) {
  test(`every table-printing command fits a ${cols}-column terminal`, async (t) => {
    const runs = await pool(COMMANDS, 6, (args) =>
      onTerminal(OFFLINE.has(args.join(' ').replace(/ --dir .*/, '')) ? args : [...args, '--db-url', db.url], cols),
    )
    runs.forEach((run, i) => {
      const name = COMMANDS[i].join(' ')
      t.true([0, 1, 2].includes(run.code) && !/^Error:/m.test(run.stderr), `${name}: ${run.stderr}`)
      t.true(run.lines.length > 0, `${name} printed something`)
      const wide = run.lines.filter((l) => [...l].length > cols)
      t.deepEqual(wide, [], `${name}: no line wider than ${cols}`)
      const wideNotes = run.stderr.split('\n').filter((l) => [...l].length > cols)
      t.deepEqual(wideNotes, [], `${name}: no stderr line wider than ${cols}`)
    })
  })
}

test('hidden columns are named on stderr; --wide shows them all; -x one record per block', async (t) => {
  const fitted = await onTerminal(['orgs', 'list', '--db-url', db.url], 80)
  t.is(fitted.code, 0, fitted.stderr)
  // The note names as many hidden columns as fit the 80 columns (then …): its line is no wider than the terminal.
  const note = /^fluxadmin: (\d+) columns hidden \(([^)]+)\): --wide shows all(, -x one record per block)?$/m.exec(
    fitted.stderr,
  )
  t.truthy(note, fitted.stderr)
  t.true(note![0].length <= 80, note![0])
  const hidden = note![2].split(', ').filter((name) => name !== '…')
  t.true(hidden.length > 0 && hidden.length <= Number(note![1]))
  const header = fitted.lines[0].split(/\s+/)
  t.true(!header.includes('id') && !header.includes('created_at'), 'ids and timestamps go first')
  t.deepEqual(header.slice(0, 2), ['slug', 'name'])
  for (const key of hidden) t.false(header.includes(key))
  t.true(
    fitted.lines.some((l) => l.includes('…')),
    'long names are narrowed with an ellipsis',
  )
  t.regex(fitted.stdout, /\u001B\[1mslug\u001B\[22m/, 'a bold header on a terminal')

  const wide = await onTerminal(['orgs', 'list', '--db-url', db.url, '--wide'], 80)
  t.notRegex(wide.stderr, /hidden/)
  t.true(wide.lines[0].split(/\s+/).includes('created_at'))
  t.true(wide.lines.some((l) => l.includes('The Very Long Named Academy of Fine Arts and Design number 1')))

  const expanded = await onTerminal(['orgs', 'list', '--db-url', db.url, '-x'], 80)
  t.is(expanded.lines.filter((l) => /^-\[ RECORD \d+ \]/.test(l)).length, 7)
  t.true(
    expanded.lines.some((l) => /^created_at\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(l)),
    'local time without seconds',
  )
  t.true(expanded.lines.every((l) => [...l].length <= 80))
  t.notRegex(expanded.stderr, /hidden/)
})

test('csv and json keep the raw typed values whatever the terminal; COLUMNS fits a piped table', async (t) => {
  const json = await runCli(['orgs', 'list', '--db-url', db.url, '--json'], {env: {COLUMNS: '40'}})
  const orgs = JSON.parse(json.stdout)
  t.is(typeof orgs[0].storage_bytes, 'number')
  t.regex(orgs[0].created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, 'ISO 8601 with milliseconds, UTC')
  t.is(orgs.length, 7)
  const csv = await onTerminal(['orgs', 'list', '--db-url', db.url, '--format', 'csv'], 80)
  t.is(csv.lines[0], 'slug,name,type,tier,status,members,teams,projects,files,storage_bytes,id,created_at')
  t.true(csv.lines.some((l) => l.includes('The Very Long Named Academy of Fine Arts and Design number 1')))
  t.true(csv.lines.some((l) => /,\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(l)))
  t.notRegex(csv.stderr, /hidden/)

  const piped = await runCli(['orgs', 'list', '--db-url', db.url, '--format', 'table'], {env: {COLUMNS: '60'}})
  t.true(
    piped.stdout
      .trimEnd()
      .split('\n')
      .every((l) => [...l].length <= 60),
  )
  const whole = await runCli(['orgs', 'list', '--db-url', db.url, '--format', 'table'])
  t.true(
    whole.stdout.includes('The Very Long Named Academy of Fine Arts and Design number 1'),
    'a pipe without COLUMNS: cells whole',
  )
})

test('long tables go through the pager on a terminal only; --no-pager and FLUXADMIN_PAGER= turn it off', async (t) => {
  const pager = {FLUXADMIN_PAGER: 'sed "s/^/PAGED /"'}
  // The terminal has 50 rows: 14 tables fit, so that table is not paged.
  const short = await onTerminal(['db', 'tables', '--db-url', db.url], 120, pager)
  t.false(short.lines.some((l) => l.startsWith('PAGED')))
  const vacuum = await onTerminal(['vacuum', 'status', '-x', '--db-url', db.url], 120, pager)
  t.true(vacuum.lines.length > 50)
  t.true(
    vacuum.lines.every((l) => l.startsWith('PAGED ')),
    'every line came through the pager',
  )
  const off = await onTerminal(['vacuum', 'status', '-x', '--db-url', db.url, '--no-pager'], 120, pager)
  t.false(off.lines.some((l) => l.startsWith('PAGED')))
  const empty = await onTerminal(['vacuum', 'status', '-x', '--db-url', db.url], 120, {
    FLUXADMIN_PAGER: '',
    PAGER: 'sed "s/^/PAGED /"',
  })
  t.false(empty.lines.some((l) => l.startsWith('PAGED')))
  const piped = await runCli(['vacuum', 'status', '-x', '--db-url', db.url, '--format', 'table'], {env: pager})
  t.notRegex(piped.stdout, /PAGED/, 'never when stdout is not a terminal')
})

test('stats top on a 100-column terminal: the query first, the queryid only with --wide, -x and json', async (t) => {
  const args = ['stats', 'top', '--db-url', db.url, '--db', db.name, '--include-own']
  const [narrow, wide, expanded] = await Promise.all([
    onTerminal(args, 100),
    onTerminal([...args, '--wide'], 100),
    onTerminal([...args, '-x'], 100),
  ])
  for (const r of [narrow, wide, expanded]) t.is(r.code, 0, r.stderr)
  const header = narrow.lines[0].split(/\s+/)
  t.is(header[0], 'query')
  t.false(header.includes('queryid'))
  t.true(wide.lines[0].split(/\s+/).includes('queryid'))
  t.true(expanded.lines.some((l) => /^queryid\s+-?\d+$/.test(l)))
  const json = await runCli([...args, '--json'])
  t.true('queryid' in JSON.parse(json.stdout)[0])
})
