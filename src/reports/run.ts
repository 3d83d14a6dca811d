import type {Readable} from 'node:stream'
import type pg from 'pg'
import {databaseLayout} from '../schema/citus-layout.js'
import {CopyOutStream, type CopyOutForm} from '../db/copy-out.js'
import {query, SQL_TAG} from '../db/queries.js'
import type {Session} from '../db/session.js'
import {inTransaction} from '../db/transaction.js'
import {notFound, usageError} from '../errors.js'
import type {Format, RawRows, Rows} from '../output/format.js'
import {parseSince} from '../util/time.js'
import {distributedReport, findReport, flagFor, type Report} from './catalog.js'

export interface ReportOptions {
  org?: string
  since?: string
  until?: string
  format: Format
  /** CSV header row (COPY ... HEADER). */
  header?: boolean
  /** CSV: a text cell starting with = + - @ tab or CR gets a leading ' (output/csv-protect.ts); --csv-raw turns it off. */
  csvProtect?: boolean
  /**
   * CSV, JSON and NDJSON through COPY TO STDOUT (default, measured faster: the server builds each
   * line) or through row objects (tables always; bench/export and the tests compare both).
   */
  via?: 'copy' | 'rows'
  now?: Date
}

/**
 * Runs one report in a READ ONLY, REPEATABLE READ transaction and hands its rows to `consume`
 * while they stream: the transaction stays open until `consume` resolves, then commits, so the
 * whole output is one snapshot. CSV, JSON and NDJSON come as raw COPY bytes (RawRows), tables as row objects.
 */
export async function runReport<T>(
  session: Session,
  name: string,
  options: ReportOptions,
  consume: (rows: Rows, columns: string[]) => Promise<T>,
): Promise<T> {
  const single = findReport(name)
  const values = parameterValues(single, options)
  const columns = single.columns.map((c) => c.name)
  return inTransaction(session, 'report', async (client, tx) => {
    await client.query(query('report-params/report-settings').text)
    const layout = await databaseLayout(client)
    const report = layout.kind === 'citus' && layout.distributed ? distributedReport(single) : single
    if (options.org !== undefined)
      values[report.params.findIndex((p) => p.name === 'org_id')] = await orgId(client, options.org)
    const format = options.via === 'rows' ? 'table' : options.format
    if (format !== 'table') await client.query(query('report-params/untracked-copy', session.server).text)
    const stream =
      format !== 'table'
        ? await copyStream(
            client,
            copyStatement(report, format, options.header ?? true, options.csvProtect ?? false),
            values,
            format,
          )
        : await rowStream(client, report, values)
    let ended = false
    stream.readable.once('end', () => {
      ended = true
    })
    try {
      return await consume(stream.rows, columns)
    } catch (error) {
      // Rows already went out: a retry (after a recovery conflict on a standby) would repeat them.
      if (stream.delivered()) tx.noRetry()
      // A consumer that stopped half-way leaves the server streaming: drop the connection (the
      // server rolls back) rather than wait behind the rest of the rows for ROLLBACK. The stream
      // goes first: one its consumer never read (the first write failed) has no 'error' listener.
      if (!ended) {
        stream.readable.destroy()
        dropConnection(client)
      }
      throw error
    }
  })
}

function parameterValues(report: Report, options: ReportOptions): Array<string | Date | null> {
  const has = new Set(report.params.map((p) => p.name))
  for (const [key, flag] of [
    ['org', 'org_id'],
    ['since', 'since'],
    ['until', 'until'],
  ] as const) {
    if (options[key] !== undefined && !has.has(flag))
      throw usageError(
        `report ${report.name} takes no ${flagFor(flag)}`,
        `its parameters: ${report.params.map((p) => flagFor(p.name)).join(', ') || 'none'}`,
      )
  }
  const now = options.now ?? new Date()
  return report.params.map((p) => {
    if (p.name === 'org_id') return null
    const text = options[p.name] ?? p.defaultValue
    return text === null ? null : parseSince(text, flagFor(p.name), now)
  })
}

async function orgId(client: pg.ClientBase, slug: string): Promise<string> {
  if (!slug.trim()) throw usageError('the organization is empty', 'pass --org with an organization slug')
  const {rows} = await client.query(query('report-params/org-id').text, [slug])
  if (rows.length === 0)
    throw notFound(`no organization with slug "${slug}"`, 'check the slug (organizations are matched exactly)')
  return rows[0].id
}

interface Streamed {
  rows: Rows
  readable: Readable
  /** Whether any row reached the consumer. */
  delivered(): boolean
}

async function rowStream(client: pg.ClientBase, report: Report, values: unknown[]): Promise<Streamed> {
  const {default: QueryStream} = await import('pg-query-stream')
  const stream = client.query(new QueryStream(report.query.text, values, {batchSize: 1000}))
  const progress = {delivered: false}
  const {cursor} = stream as unknown as {cursor: Cursor}
  return {
    rows: untilConnectionLost(stream, client, progress, cursor),
    readable: stream,
    delivered: () => progress.delivered,
  }
}

/** pg-cursor, under QueryStream: where a refused query is reported whether or not rows are being read. */
type Cursor = NodeJS.EventEmitter & {state: string; _error?: Error}

/**
 * Reads a query stream row by row but gives up when the connection ends: pg-cursor's close waits
 * for a ReadyForQuery that a dead connection never sends, so the stream alone would hang forever.
 * Events and read(), not Promise.race per row: racing every row against one long-pending promise
 * keeps every row alive (1.2 GB at 1M rows).
 */
async function* untilConnectionLost(
  stream: Readable,
  client: pg.ClientBase,
  progress: {delivered: boolean},
  cursor: Cursor,
): AsyncGenerator<object> {
  // A query refused before the first read (permission denied while an --out file is opened) is
  // taken from the cursor: QueryStream would only report it through a close that waits for a
  // ReadyForQuery the server has already sent, for ever.
  let failure: Error | undefined = cursor.state === 'error' ? cursor._error : undefined
  let ended = false
  let wake: (() => void) | undefined
  const notify = () => {
    const w = wake
    wake = undefined
    w?.()
  }
  const onError = (error: Error) => {
    failure ??= error
    notify()
  }
  const onLost = () => onError(new Error('Connection terminated unexpectedly'))
  const onEnd = () => {
    ended = true
    notify()
  }
  stream.on('readable', notify).on('error', onError).on('end', onEnd)
  cursor.on('error', onError)
  client.once('end', onLost)
  try {
    for (;;) {
      let row: object | null
      while (!failure && (row = stream.read()) !== null) {
        progress.delivered = true
        yield row
      }
      if (failure) throw failure
      if (ended) return
      await new Promise<void>((resolve) => {
        wake = resolve
      })
    }
  } finally {
    stream.off('readable', notify).off('end', onEnd)
    cursor.off('error', onError)
    client.off('end', onLost)
    // Stopped early: close the cursor (not awaited: on a dead connection it never completes).
    if (!ended && !stream.destroyed) stream.destroy()
  }
}

/**
 * The COPY statement template of a report: CSV as it is, or one JSON object per line built by the
 * server (row_to_json over the report's columns in their order, values by jsonLineValue; measured
 * faster than json_build_object). The report's ORDER BY moves outside it, over its columns: a
 * subquery with its own ORDER BY stays a separate plan node, and the lines would then be built
 * one by one in the leader; merged into one query they are built in parallel workers (see
 * report-params/report-settings). Binary COPY sends each line as it is (see copy-out.ts).
 */
export function copyStatement(report: Report, format: Format, header: boolean, csvProtect = false): string {
  const order = report.order.map((o) => `r.${identifier(o.column)}${o.direction}`)
  const ordered = order.length > 0 ? ` ORDER BY ${order.join(', ')}` : ''
  if (format === 'csv') {
    const csv = `FORMAT csv${header ? ', HEADER' : ''}`
    if (!csvProtect || !report.columns.some((c) => c.type === 'text'))
      return `${SQL_TAG} COPY (${copyTemplate(report)}) TO STDOUT WITH (${csv})`
    // The formula protection, done by the server as it writes each line (no pass over the bytes here).
    const fields = report.columns.map(
      (c) =>
        `${c.type === 'text' ? protectedText(`r.${identifier(c.name)}`) : `r.${identifier(c.name)}`} AS ${identifier(c.name)}`,
    )
    return `${SQL_TAG} COPY (SELECT ${fields.join(', ')} FROM (${copyTemplate(report, report.body)}) r${ordered}) TO STDOUT WITH (${csv})`
  }
  if (report.distributed) {
    // Citus sends row_to_json of a subquery's row to the workers as row_to_json(ROW(...)), whose keys are f1, f2, ...:
    // the same text is spelled out, key by key (the names are checked lower-case SQL names, valid JSON strings as they are).
    const pairs = report.columns.map(
      (c) =>
        `'${c === report.columns[0] ? '{' : ','}"${checkedName(c.name)}":' || coalesce(to_json(${jsonLineValue(`r.${identifier(c.name)}`, c.type)})::text, 'null')`,
    )
    return `${SQL_TAG} COPY (SELECT ${pairs.join(' || ')} || '}' FROM (${copyTemplate(report, report.body)}) r${ordered}) TO STDOUT WITH (FORMAT binary)`
  }
  const fields = report.columns.map(
    (c) => `${jsonLineValue(`r.${identifier(c.name)}`, c.type)} AS ${identifier(c.name)}`,
  )
  return `${SQL_TAG} COPY (SELECT row_to_json(j) FROM (${copyTemplate(report, report.body)}) r CROSS JOIN LATERAL (SELECT ${fields.join(', ')}) j${ordered}) TO STDOUT WITH (FORMAT binary)`
}

/** protectCell (output/csv-protect.ts) in SQL: a leading ' before = + - @ tab or CR, but not on a plain negative number (no `%`: the statement is a format() template). */
const protectedText = (column: string) =>
  `CASE WHEN left(${column}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') AND ${column} !~ '^-[0-9]+(\\.[0-9]+)?$' THEN '''' || ${column} ELSE ${column} END`

function jsonLineValue(column: string, type: string): string {
  if (type === 'timestamptz') return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
  if (type === 'bigint' || type === 'numeric')
    return `CASE WHEN ${column}::text ~ '^-?[0-9]+$' AND abs(${column}) > 9007199254740991 THEN to_json(${column}::text) ELSE to_json(${column}) END`
  return column
}

const NAME = /^[a-z_][a-z0-9_]*$/
function checkedName(name: string): string {
  if (!NAME.test(name)) throw new Error(`report column "${name}" must be a lower-case SQL name`)
  return name
}
const identifier = (name: string) => `"${checkedName(name)}"`

async function copyStream(
  client: pg.ClientBase,
  template: string,
  values: Array<string | Date | null>,
  format: RawRows['format'],
): Promise<Streamed> {
  const params = values.map((v) => (v === null ? null : v instanceof Date ? v.toISOString() : v))
  const {
    rows: [{sql}],
  } = await client.query(query('report-params/copy-statement').text, [template, params])
  const form: CopyOutForm =
    format === 'csv'
      ? {binary: false}
      : format === 'json'
        ? {binary: true, between: Buffer.from(',\n'), last: Buffer.alloc(0)}
        : {binary: true, between: Buffer.from('\n'), last: Buffer.from('\n')}
  // JSON lines lend their chunks (see CopyOutStream); CSV comes protected by the server (copyStatement).
  const stream = client.query(new CopyOutStream(sql, form, {lend: form.binary}))
  // An error before the consumer starts reading (a lock wait past the statement timeout while a slow
  // machine opens the --out file) would be an unhandled 'error' event: the stream keeps it, and the
  // consumer's first read throws it.
  stream.once('error', () => {})
  const progress = {delivered: false}
  async function* marked() {
    for await (const chunk of stream) {
      progress.delivered = true
      yield chunk as Buffer
    }
  }
  const rows: RawRows = {
    raw: marked(),
    format,
    rowCount: () => stream.rowCount,
    release: (chunk) => stream.release(chunk as Buffer),
  }
  return {rows, readable: stream, delivered: () => progress.delivered}
}

/**
 * COPY takes no bind parameters, and reading them back with current_setting() hides them from
 * the planner (a 1M-row export then picked nested loops). So the values still travel as bind
 * parameters, and the server quotes them into the statement with format('%L'), exactly like
 * quote_literal, cast to the type the header declares (from a fixed list). Here only the
 * trusted SQL file becomes a format() template: `%` doubled, each `$n` outside string
 * literals and comments turned into `(%n$L::type)`.
 */
export function copyTemplate(report: Report, sql = report.query.statement): string {
  const body = sql
    .split('\n')
    .filter((l) => !l.startsWith('--'))
    .join('\n')
    .trim()
    .replace(/;\s*$/, '')
    .replaceAll('%', '%%')
  return body.replace(/'(?:[^']|'')*'|--[^\n]*|\$(\d+)\b/g, (match, n: string | undefined) => {
    if (!n) return match
    const param = report.params[Number(n) - 1]
    if (!param) throw new Error(`${report.name}: $${n} is not documented`)
    return `(%${n}$L::${param.type})`
  })
}

function dropConnection(client: pg.ClientBase): void {
  const socket = (client as unknown as {connection?: {stream?: {destroy(): void}}}).connection?.stream
  socket?.destroy()
}
