import type {Writable} from 'node:stream'
import {fileError} from '../util/files.js'
import {protectCell} from './csv-protect.js'
import {openSink, write} from './sink.js'
import type {Column, RawRows, RenderOptions, Row, Rows} from './format.js'
import {NOTE_PREFIX, note} from './messages.js'
import {page} from './pager.js'
import {hiddenNote, layoutTable} from './table.js'
import {toJsonValue, toText} from './values.js'

/** Renders rows in the chosen format, streaming except for tables; returns the row count. */
export async function render(rows: Rows, options: RenderOptions): Promise<number> {
  const sink = await openSink(options.out, options.gzip ?? false)
  try {
    const count = await renderTo(sink.stream, rows, options)
    await sink.commit()
    return count
  } catch (error) {
    await sink.abort()
    throw fileError(error, options.out ?? 'stdout')
  }
}

/** One JSON document (an object, not rows), written whole to the sink. */
export function renderDocument(value: unknown, options: Pick<RenderOptions, 'out' | 'gzip'>): Promise<void> {
  return renderText(JSON.stringify(toJsonValue(value), null, 2) + '\n', options)
}

/** Text already laid out (nagios, prometheus, a document), written whole to the sink. */
export async function renderText(text: string, options: Pick<RenderOptions, 'out' | 'gzip'>): Promise<void> {
  const sink = await openSink(options.out, options.gzip ?? false)
  try {
    await write(sink.stream, text)
    await sink.commit()
  } catch (error) {
    await sink.abort()
    throw fileError(error, options.out ?? 'stdout')
  }
}

type RowObjects = Exclude<Rows, RawRows>

const writers = {
  table: writeTable,
  csv: writeCsv,
  json: writeJson,
  ndjson: writeNdjson,
}

function renderTo(stream: Writable, rows: Rows, options: RenderOptions): Promise<number> {
  if ('raw' in rows) return writeRaw(stream, rows, options)
  return writers[options.format](stream, rows, options)
}

/** Raw bytes (COPY output) to the sink, chunk by chunk, waiting for drain. */
async function writeRaw(stream: Writable, rows: RawRows, options: RenderOptions): Promise<number> {
  if (options.format !== rows.format) throw new Error(`raw rows are ${rows.format}, not ${options.format}`)
  if (rows.format === 'json') return writeElementsAsArray(stream, rows)
  for await (const chunk of rows.raw) await write(stream, chunk, givenBack(rows, chunk))
  return rows.rowCount()
}

/** What gives a written chunk back to rows that lend theirs. */
const givenBack = (rows: RawRows, chunk: Buffer | string) => rows.release && (() => rows.release!(chunk))

/** `[`, the elements, `]`: exactly what writeJson prints. The elements arrive separated by `,\n`. */
async function writeElementsAsArray(stream: Writable, rows: RawRows): Promise<number> {
  let started = false
  await write(stream, '[')
  for await (const chunk of rows.raw) {
    if (chunk.length === 0) continue
    if (!started) await write(stream, '\n')
    started = true
    await write(stream, chunk, givenBack(rows, chunk))
  }
  await write(stream, started ? '\n]\n' : ']\n')
  return rows.rowCount()
}

function normalizeColumns(columns: Array<string | Column> | undefined, first: Row | undefined): Column[] {
  if (columns) return columns.map((c) => (typeof c === 'string' ? {key: c} : c))
  return Object.keys(first ?? {}).map((key) => ({key}))
}

async function writeNdjson(stream: Writable, rows: RowObjects, options: RenderOptions): Promise<number> {
  let count = 0
  let columns: Column[] | undefined
  for await (const item of rows) {
    const row = item as Row
    columns ??= normalizeColumns(options.columns, row)
    await write(stream, JSON.stringify(pickJson(row, columns)) + '\n')
    count++
  }
  return count
}

async function writeJson(stream: Writable, rows: RowObjects, options: RenderOptions): Promise<number> {
  let count = 0
  let columns: Column[] | undefined
  await write(stream, '[')
  for await (const item of rows) {
    const row = item as Row
    columns ??= normalizeColumns(options.columns, row)
    await write(stream, (count === 0 ? '\n' : ',\n') + JSON.stringify(pickJson(row, columns)))
    count++
  }
  await write(stream, count === 0 ? ']\n' : '\n]\n')
  return count
}

function pickJson(row: Row, columns: Column[]): Row {
  const out: Row = {}
  for (const {key} of columns) out[key] = toJsonValue(row[key])
  return out
}

async function writeCsv(stream: Writable, rows: RowObjects, options: RenderOptions): Promise<number> {
  const {stringify} = await import('csv-stringify/sync')
  let count = 0
  let columns: Column[] | undefined
  const keys = () => columns!.map((c) => c.key)
  for await (const item of rows) {
    const row = item as Row
    if (!columns) {
      columns = normalizeColumns(options.columns, row)
      if (options.header) await write(stream, stringify([keys()]))
    }
    await write(stream, stringify([columns.map((c) => csvCell(row[c.key], options))]))
    count++
  }
  if (!columns && options.header && options.columns)
    await write(stream, stringify([normalizeColumns(options.columns, undefined).map((c) => c.key)]))
  return count
}

function csvCell(value: unknown, options: RenderOptions): string {
  const text = toText(value)
  return options.csvProtect && typeof value === 'string' ? protectCell(text) : text
}

async function writeTable(stream: Writable, rows: RowObjects, options: RenderOptions): Promise<number> {
  const all: Row[] = []
  for await (const row of rows) all.push(row as Row)
  const {text, hidden} = layoutTable(all, normalizeColumns(options.columns, all[0]), options)
  const paged =
    options.pager && text.split('\n').length > options.pager.height && (await page(text, options.pager.command))
  if (!paged && text) await write(stream, text)
  if (hidden.length > 0)
    note(hiddenNote(hidden, options.width === undefined ? undefined : options.width - NOTE_PREFIX.length))
  return all.length
}
