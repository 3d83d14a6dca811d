import {existsSync, mkdtempSync, readFileSync, readdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import test from 'ava'
import {parse} from 'csv-parse/sync'
import {render} from '../src/output/render.js'
import {runCli} from './helpers/cli.js'
import {freshDb} from './helpers/db.js'

const rows = [
  {
    id: '0b5c4b2e-6a3c-4f0e-9d7e-2f1a3c4b5d6e',
    n: 42,
    big: 9007199254740993n,
    at: new Date('2026-01-02T03:04:05.678Z'),
    meta: {a: [1, 'x']},
    tags: ['a', 'b'],
    note: 'comma, "quote"\nline',
    none: null,
    ok: true,
  },
]

async function renderToFile(format: 'csv' | 'json' | 'ndjson' | 'table', data: object[] | AsyncIterable<object>) {
  const dir = mkdtempSync(join(tmpdir(), 'fa-out-'))
  const out = join(dir, `rows.${format}`)
  await render(data, {format, out, header: true, color: false})
  return readFileSync(out, 'utf8')
}

test('json and ndjson keep types: ISO timestamps, numbers, objects, arrays, null', async (t) => {
  const json = JSON.parse(await renderToFile('json', rows))
  t.deepEqual(json, [
    {
      id: rows[0].id,
      n: 42,
      big: '9007199254740993',
      at: '2026-01-02T03:04:05.678Z',
      meta: {a: [1, 'x']},
      tags: ['a', 'b'],
      note: rows[0].note,
      none: null,
      ok: true,
    },
  ])
  const nd = (await renderToFile('ndjson', rows))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
  t.deepEqual(nd, json)
  t.deepEqual(JSON.parse(await renderToFile('json', [])), [])
})

test('csv is RFC 4180 and parses back to the same rows as json', async (t) => {
  const csv = await renderToFile('csv', rows)
  const parsed = parse(csv, {columns: true})
  const json = JSON.parse(await renderToFile('json', rows))
  t.is(parsed.length, 1)
  for (const [key, value] of Object.entries(json[0])) {
    const text = value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value)
    t.is(parsed[0][key], text, key)
  }
})

test('--out leaves no file (and no temp file) when rendering fails half-way', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fa-out-'))
  const out = join(dir, 'report.csv')
  async function* failing() {
    yield {a: 1}
    throw new Error('connection lost')
  }
  await t.throwsAsync(render(failing(), {format: 'csv', out, header: true, color: false}), {message: 'connection lost'})
  t.false(existsSync(out))
  t.deepEqual(readdirSync(dir), [])
})

test('streams a large async source without collecting it (ndjson, gzip)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fa-out-'))
  const out = join(dir, 'big.ndjson.gz')
  async function* many() {
    for (let i = 0; i < 200_000; i++) yield {i, text: 'x'.repeat(20)}
  }
  const count = await render(many(), {format: 'ndjson', out, gzip: true, header: true, color: false})
  t.is(count, 200_000)
  const {gunzipSync} = await import('node:zlib')
  const lines = gunzipSync(readFileSync(out)).toString().trim().split('\n')
  t.is(lines.length, 200_000)
  t.deepEqual(JSON.parse(lines[199_999]), {i: 199_999, text: 'x'.repeat(20)})
})

test('every format end to end from a real query, with --no-header and --out', async (t) => {
  const db = await freshDb(t)
  const json = await runCli(['db', 'tables', '--db-url', db.url, '--json'])
  t.is(json.code, 0, json.stderr)
  const tables = JSON.parse(json.stdout)
  t.is(tables.length, 14)
  t.is(typeof tables[0].row_count, 'number')
  const csv = await runCli(['db', 'tables', '--db-url', db.url, '--format', 'csv'])
  t.deepEqual(
    parse(csv.stdout, {columns: true, cast: true})
      .map((r: {table_name: string}) => r.table_name)
      .sort(),
    tables.map((r: {table_name: string}) => r.table_name).sort(),
  )
  const noHeader = await runCli(['db', 'tables', '--db-url', db.url, '--format', 'csv', '--no-header'])
  t.is(noHeader.stdout.trim().split('\n').length, 14)
  const table = await runCli(['db', 'tables', '--db-url', db.url, '--format', 'table'])
  t.regex(table.stdout, /^table_name\s+row_count {2}total_bytes$/m)
  t.notRegex(table.stdout, /\u001b\[/, 'no colours when NO_COLOR is set / not a TTY')
  const dir = mkdtempSync(join(tmpdir(), 'fa-out-'))
  const out = join(dir, 'tables.ndjson')
  const written = await runCli(['db', 'tables', '--db-url', db.url, '--out', out])
  t.is(written.code, 0)
  t.is(written.stdout, '')
  t.is(readFileSync(out, 'utf8').trim().split('\n').length, 14)
  const missingDir = await runCli(['db', 'tables', '--db-url', db.url, '--out', join(dir, 'nope', 'x.csv')])
  t.is(missingDir.code, 4)
})

test('a large file is handed to the disk while it is written, and the stop waits for a sync under way', async (t) => {
  const {promises: fs} = await import('node:fs')
  const {flushBehind} = await import('../src/util/durable.js')
  const dir = mkdtempSync(join(tmpdir(), 'fa-flush-'))
  const handle = await fs.open(join(dir, 'big'), 'w')
  let syncs = 0
  let running = 0
  const datasync = handle.datasync.bind(handle)
  handle.datasync = async () => {
    syncs++
    running++
    try {
      await datasync()
    } finally {
      running--
    }
  }
  const stream = handle.createWriteStream()
  const stop = flushBehind(handle, () => stream.bytesWritten)
  const mb = Buffer.alloc(1 << 20, 'x')
  for (let n = 0; n < 24; n++) {
    await new Promise<void>((resolve) => stream.write(mb, () => resolve()))
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  await stop()
  t.is(running, 0)
  t.true(syncs >= 2, `${syncs} syncs while 24 MB were written`)
  await new Promise<void>((resolve) => stream.end(resolve))
  t.is((await fs.stat(join(dir, 'big'))).size, 24 << 20)
})
