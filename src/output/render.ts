import type {Writable} from 'node:stream'
import {fileError} from '../util/files.js'
import {protectCell, protectCsvBytes} from './csv-protect.js'
import {openSink, write} from './sink.js'
import type {Column, RawRows, RenderOptions, Row, Rows} from './format.js'
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
export async function renderDocument(value: unknown, options: Pick<RenderOptions, 'out' | 'gzip'>): Promise<void> {
  const sink = await openSink(options.out, options.gzip ?? false)
  try {
    await write(sink.stream, JSON.stringify(toJsonValue(value), null, 2) + '\n')
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

/** Raw bytes (COPY output) to the sink, chunk by chunk, waiting for drain; NDJSON lines become a JSON array. */
async function writeRaw(stream: Writable, rows: RawRows, options: RenderOptions): Promise<number> {
  if (options.format === 'json' && rows.format === 'ndjson') return writeLinesAsArray(stream, rows)
  if (options.format !== rows.format) throw new Error(`raw rows are ${rows.format}, not ${options.format}`)
  const bytes = rows.format === 'csv' && options.csvProtect && rows.textColumns ? protectCsvBytes(rows.raw, rows.textColumns) : rows.raw
  for await (const chunk of bytes) await write(stream, chunk)
  return rows.rowCount()
}

const NEWLINE = 0x0a
const COMMA_NEWLINE = Buffer.from(',\n')

/**
 * `[`, the lines joined by `,\n`, `]`: exactly what writeJson prints. A JSON line holds no raw
 * newline, so every newline byte ends a row; the last one of a chunk waits for the next chunk
 * (or the end) to know whether a comma goes before it.
 */
async function writeLinesAsArray(stream: Writable, rows: RawRows): Promise<number> {
  let started = false
  let pending = false
  await write(stream, '[')
  for await (const data of rows.raw) {
    const chunk = typeof data === 'string' ? Buffer.from(data) : data
    if (chunk.length === 0) continue
    const parts: Buffer[] = [pending ? COMMA_NEWLINE : started ? Buffer.alloc(0) : Buffer.from('\n')]
    started = true
    const end = chunk[chunk.length - 1] === NEWLINE ? chunk.length - 1 : chunk.length
    let from = 0
    for (let i = chunk.indexOf(NEWLINE); i !== -1 && i < end; i = chunk.indexOf(NEWLINE, i + 1)) {
      parts.push(chunk.subarray(from, i), COMMA_NEWLINE)
      from = i + 1
    }
    parts.push(chunk.subarray(from, end))
    pending = end < chunk.length
    await write(stream, Buffer.concat(parts))
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
  if (!columns && options.header && options.columns) await write(stream, stringify([normalizeColumns(options.columns, undefined).map((c) => c.key)]))
  return count
}

function csvCell(value: unknown, options: RenderOptions): string {
  const text = toText(value)
  return options.csvProtect && typeof value === 'string' ? protectCell(text) : text
}

async function writeTable(stream: Writable, rows: RowObjects, options: RenderOptions): Promise<number> {
  const {default: Table} = await import('cli-table3')
  const all: Row[] = []
  for await (const row of rows) all.push(row as Row)
  const columns = normalizeColumns(options.columns, all[0])
  const table = new Table({
    head: options.header ? columns.map((c) => c.key) : [],
    style: {head: options.color ? ['cyan'] : [], border: options.color ? ['grey'] : [], compact: true},
  })
  const max = options.maxCellWidth ?? 0
  for (const row of all) {
    table.push(columns.map((c) => cut(c.display ? c.display(row[c.key], row) : toText(row[c.key]), max)))
  }
  if (columns.length > 0) await write(stream, table.toString() + '\n')
  return all.length
}

function cut(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ')
  return max > 0 && flat.length > max ? flat.slice(0, max - 1) + '…' : flat
}
