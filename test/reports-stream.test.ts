import {existsSync, mkdtempSync, readFileSync, readdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import test from 'ava'
import {parse} from 'csv-parse/sync'
import type {RawRows, Rows} from '../src/output/format.js'
import {withProgress} from '../src/output/progress.js'
import {render} from '../src/output/render.js'
import {toJsonValue} from '../src/output/values.js'
import {listReports} from '../src/reports/catalog.js'
import {runReport, type ReportOptions} from '../src/reports/run.js'
import {fixtureDb, ids, sameCell, SINCE, UNTIL} from './reports-fixture.js'

const db = fixtureDb(test, async (fresh) => {
  // 3,000 more messages in a third organization, so that a stream spans several fetches.
  await fresh.pg.query(`
    INSERT INTO organizations (id, name, slug, type) VALUES ('10000000-0000-4000-8000-000000000003', 'Bulk', 'bulk', 'independent');
    INSERT INTO conversations (id, organization_id, name) VALUES ('60000000-0000-4000-8000-000000000003', '10000000-0000-4000-8000-000000000003', 'bulk');
    INSERT INTO messages (conversation_id, author_id, content, created_at)
    SELECT '60000000-0000-4000-8000-000000000003', '${ids.alice}', 'bulk ' || g, '2026-02-10T00:00:00Z'::timestamptz + g * interval '1 second' FROM generate_series(1, 3000) g;
    -- Text that JSON and COPY both escape, and timestamps with microseconds.
    INSERT INTO messages (conversation_id, author_id, content, metadata, attachments, created_at, edited_at) VALUES
      ('60000000-0000-4000-8000-000000000003', '${ids.alice}', E'back\\\\slash \\"quote\\" tab\\there\\nnew\\r\\nline \\x01\\x02 \\\\. ünïcødé 😀 , ''single''',
       '{"k": "a\\\\b", "n": 12345678901234567890, "f": 1.5e300, "nested": {"x": [1, "two", null, true]}}', '[{"name": "\\u00e9\\t.png"}]',
       '2026-02-10T00:00:00.123999Z', '2026-02-11T00:00:00.000001Z')`)
})

const tempFile = (name: string) => join(mkdtempSync(join(tmpdir(), 'fa-rep-')), name)

function optionsFor(name: string, format: ReportOptions['format']): ReportOptions {
  const params = listReports()
    .find((r) => r.name === name)!
    .params.map((p) => p.name)
  return {
    format,
    since: params.includes('since') ? SINCE : undefined,
    until: params.includes('until') ? UNTIL : undefined,
  }
}

const viaRows = (options: ReportOptions): ReportOptions => ({...options, via: 'rows'})

async function collect(rows: Rows): Promise<Array<Record<string, unknown>>> {
  const out = []
  for await (const row of rows as AsyncIterable<Record<string, unknown>>)
    out.push(toJsonValue(row) as Record<string, unknown>)
  return out
}

test.serial('every report: CSV through COPY and CSV through rows parse back to the same rows as JSON', async (t) => {
  const session = await db().session()
  for (const {name} of listReports()) {
    const json = await runReport(session, name, viaRows(optionsFor(name, 'json')), collect)
    t.true(json.length > 0, `${name} has rows in the fixture`)
    for (const csvVia of ['copy', 'rows'] as const) {
      const out = tempFile(`${name}.csv`)
      const count = await runReport(session, name, {...optionsFor(name, 'csv'), via: csvVia}, (rows, columns) =>
        render(rows, {format: 'csv', out, header: true, color: false, columns}),
      )
      t.is(count, json.length, `${name} via ${csvVia}: row count`)
      const csv = parse(readFileSync(out, 'utf8'), {columns: true}) as Array<Record<string, string>>
      t.deepEqual(
        csv.map((r) => Object.keys(r)),
        json.map((r) => Object.keys(r)),
        `${name} via ${csvVia}: same columns, same order`,
      )
      const wrong = csv.flatMap((row, i) =>
        Object.keys(row)
          .filter((k) => !sameCell(row[k], json[i][k]))
          .map((k) => `${i}.${k}: ${row[k]} vs ${JSON.stringify(json[i][k])}`),
      )
      t.deepEqual(wrong, [], `${name} via ${csvVia}`)
    }
  }
})

test.serial(
  'every report: NDJSON and JSON built by the server through COPY parse to exactly the rows the row path renders',
  async (t) => {
    const session = await db().session()
    for (const {name} of listReports()) {
      for (const format of ['ndjson', 'json'] as const) {
        const outputs: Record<string, string> = {}
        for (const via of ['rows', 'copy'] as const) {
          const out = tempFile(`${name}.${format}`)
          const count = await runReport(session, name, {...optionsFor(name, format), via}, (rows, columns) =>
            render(rows, {format, out, header: true, color: false, columns}),
          )
          outputs[via] = readFileSync(out, 'utf8')
          t.is(
            count,
            outputs[via].trim().split('\n').length - (format === 'json' ? 2 : 0),
            `${name} ${format} via ${via}: row count`,
          )
        }
        const parsed = (text: string) =>
          format === 'json'
            ? JSON.parse(text)
            : text
                .trim()
                .split('\n')
                .map((l) => JSON.parse(l))
        t.deepEqual(parsed(outputs.copy), parsed(outputs.rows), `${name} ${format}: same values, same key order`)
        t.deepEqual(
          parsed(outputs.copy).map((r: object) => Object.keys(r)),
          parsed(outputs.rows).map((r: object) => Object.keys(r)),
          `${name} ${format}: key order`,
        )
        if (format === 'json')
          t.regex(outputs.copy, /^\[\n\{.*\},\n\{/s, 'one object per line, as the row path writes it')
      }
    }
    const empty = tempFile('empty.json')
    await runReport(session, 'messages-export', {format: 'json', since: '2100-01-01'}, (rows, columns) =>
      render(rows, {format: 'json', out: empty, header: true, color: false, columns}),
    )
    t.is(readFileSync(empty, 'utf8'), '[]\n')
  },
)

test('JSON elements split across COPY chunks at every byte still make one valid array', async (t) => {
  const lines = '{"a":"x\\ny"},\n{"b":[1,2]},\n{"c":"é"}'
  const bytes = Buffer.from(lines)
  for (let cut = 0; cut <= bytes.length; cut++) {
    const out = tempFile('split.json')
    const raw: RawRows = {
      raw: (async function* () {
        yield bytes.subarray(0, cut)
        yield bytes.subarray(cut)
      })(),
      format: 'json',
      rowCount: () => 3,
    }
    await render(raw, {format: 'json', out, header: true, color: false})
    t.is(readFileSync(out, 'utf8'), '[\n{"a":"x\\ny"},\n{"b":[1,2]},\n{"c":"é"}\n]\n', `cut at ${cut}`)
  }
})

test.serial(
  'one snapshot: rows inserted while an export streams are not in it, and the transaction is REPEATABLE READ READ ONLY',
  async (t) => {
    const session = await db().session()
    const before = Number((await db().pg.query('SELECT count(*) FROM messages')).rows[0].count)
    const seen = await runReport(session, 'messages-export', viaRows({format: 'ndjson'}), async (rows) => {
      let n = 0
      for await (const _ of rows) {
        // A slow consumer: another connection commits a message after the first row.
        if (n++ === 0)
          await db().pg.query(
            `INSERT INTO messages (conversation_id, author_id, content, created_at) VALUES ('60000000-0000-4000-8000-000000000001', '${ids.bob}', 'late', '2026-02-02T10:30:00Z')`,
          )
      }
      // A second statement in the same transaction still sees the snapshot the export started with.
      const again = await session.client.query(
        "SELECT count(*)::int AS n, current_setting('transaction_isolation') AS iso, current_setting('transaction_read_only') AS ro FROM messages",
      )
      return {n, ...again.rows[0]}
    })
    t.deepEqual(seen, {n: before, iso: 'repeatable read', ro: 'on'})
    t.is(Number((await db().pg.query('SELECT count(*) FROM messages')).rows[0].count), before + 1)
    const csv = await runReport(session, 'messages-export', {format: 'csv'}, (rows, columns) =>
      render(rows, {format: 'csv', out: tempFile('after.csv'), header: true, color: false, columns}),
    )
    t.is(csv, before + 1, 'the next export sees it')
    await db().pg.query("DELETE FROM messages WHERE content = 'late'")
  },
)

test.serial(
  'an export that fails half-way leaves no file and does not hang: server gone (ndjson), writer failing (COPY csv)',
  async (t) => {
    const session = await db().session()
    const pid = (await session.client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid
    const out = tempFile('killed.ndjson')
    let written = 0
    const killed = runReport(session, 'messages-export', viaRows({format: 'ndjson'}), (rows, columns) =>
      render(
        (async function* () {
          for await (const row of rows as AsyncIterable<object>) {
            if (written++ === 10) await db().pg.query('SELECT pg_terminate_backend($1)', [pid])
            yield row
          }
        })(),
        {format: 'ndjson', out, header: true, color: false, columns},
      ),
    )
    const error = await t.throwsAsync(killed)
    t.regex(error!.message, /terminat|connection/i)
    t.true(written > 10 && written < 3007, `stopped half-way (${written} rows)`)
    t.false(existsSync(out))
    t.deepEqual(readdirSync(join(out, '..')), [])

    const session2 = await db().session()
    const out2 = tempFile('broken.csv')
    const raw = (rows: Rows): RawRows => ({
      raw: (async function* () {
        for await (const chunk of (rows as RawRows).raw) {
          yield chunk
          throw new Error('disk full')
        }
      })(),
      format: 'csv',
      rowCount: () => 0,
    })
    await t.throwsAsync(
      runReport(session2, 'messages-export', {format: 'csv'}, (rows, columns) =>
        render(raw(rows), {format: 'csv', out: out2, header: true, color: false, columns}),
      ),
      {message: 'disk full'},
    )
    t.false(existsSync(out2))
    t.deepEqual(readdirSync(join(out2, '..')), [])
  },
)

test('progress: rows and rows/s on a terminal only, exact total at the end', async (t) => {
  const text: string[] = []
  const tty = {isTTY: true, write: (s: string) => text.push(s)}
  const rows = withProgress(
    (async function* () {
      for (let i = 0; i < 1000; i++) yield {i}
    })(),
    tty,
    0,
  )
  t.is((await collect(rows)).length, 1000)
  t.regex(text.at(-1)!, /^\r\u001B\[K1,000 rows {2}[\d,]+ rows\/s\n$/)
  text.length = 0
  const raw = withProgress(
    {
      raw: (async function* () {
        yield Buffer.from('h\na\n')
        yield 'b\n'
      })(),
      format: 'csv',
      rowCount: () => 2,
    },
    tty,
    0,
  ) as RawRows
  for await (const _ of raw.raw);
  t.regex(text.at(-1)!, /^\r\u001B\[K2 rows /)
  const plain = [{a: 1}]
  t.is(withProgress(plain, {isTTY: false, write: () => t.fail()}), plain, 'not a terminal: untouched')
})
