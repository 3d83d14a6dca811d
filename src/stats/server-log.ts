import {open as openFile} from 'node:fs/promises'
import {createInterface} from 'node:readline'
import {pipeline, type Readable} from 'node:stream'
import {createGunzip} from 'node:zlib'
import {usageError} from '../errors.js'

export const LOG_FORMATS = ['csvlog', 'jsonlog', 'stderr'] as const
export type LogFormat = (typeof LOG_FORMATS)[number]

/** One entry of the server log: a LOG line with its DETAIL (where the bound parameters are). */
interface LogEntry {
  /** null: the line's time could not be read (stderr without a leading %m / %t, or a zone abbreviation other than UTC/GMT). */
  time: Date | null
  database: string | null
  application: string | null
  severity: string
  message: string
  detail: string | null
}

/** csvlog's columns (PostgreSQL 13-18 share the first 23): log_time 0, database_name 2, error_severity 11, message 13, detail 14, application_name 22. */
const CSV = {time: 0, database: 2, severity: 11, message: 13, detail: 14, application: 22}

/** `2026-01-31 12:00:00.123 UTC`, `... +02`, `... -0530`: the log_time of csvlog and jsonlog, %m and %t of log_line_prefix. */
const LOG_TIME = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?) ([A-Za-z]+|[+-]\d\d(?::?\d\d)?)/

function parseLogTime(text: string): Date | null {
  const m = LOG_TIME.exec(text)
  if (!m) return null
  const zone = /^(UTC|GMT|Z)$/i.test(m[3])
    ? 'Z'
    : /^[+-]/.test(m[3])
      ? m[3].replace(/^([+-]\d\d)(\d\d)$/, '$1:$2').replace(/^([+-]\d\d)$/, '$1:00')
      : null
  if (!zone) return null
  const date = new Date(`${m[1]}T${m[2]}${zone}`)
  return Number.isNaN(date.getTime()) ? null : date
}

/** The format from the file's name (`.csv`, `.json`, else stderr), before any `.gz`. */
function logFormatOf(file: string): LogFormat {
  const name = file.replace(/\.gz$/, '')
  return name.endsWith('.csv') ? 'csvlog' : name.endsWith('.json') ? 'jsonlog' : 'stderr'
}

/** The file as a stream (gunzipped for `.gz`); a path that cannot be read is a usage error, before any work. */
async function open(file: string): Promise<Readable> {
  const handle = await openFile(file).catch((error: NodeJS.ErrnoException) => {
    throw usageError(
      `cannot read --log ${file}: ${error.code ?? error.message}`,
      'give the path of a server log file (log_directory, log_filename)',
    )
  })
  const stream = handle.createReadStream()
  if (!file.endsWith('.gz')) return stream
  // pipeline: a read or gunzip error reaches the reader of the result.
  return pipeline(stream, createGunzip(), () => {})
}

/**
 * The entries of a server log file, streamed: one record (csvlog), one line (jsonlog) or one entry
 * with its continuation and DETAIL lines (stderr) in memory at a time, whatever the file's size.
 */
export async function* readServerLog(file: string, format: LogFormat = logFormatOf(file)): AsyncGenerator<LogEntry> {
  const input = await open(file)
  try {
    yield* format === 'csvlog' ? csvEntries(input) : format === 'jsonlog' ? jsonEntries(input) : stderrEntries(input)
  } finally {
    input.destroy()
  }
}

async function* csvEntries(input: Readable): AsyncGenerator<LogEntry> {
  const {parse} = await import('csv-parse')
  for await (const row of pipeline(
    input,
    parse({relax_column_count: true, relax_quotes: true}),
    () => {},
  ) as AsyncIterable<string[]>) {
    yield {
      time: parseLogTime(row[CSV.time] ?? ''),
      database: row[CSV.database] || null,
      application: row[CSV.application] || null,
      severity: row[CSV.severity] ?? '',
      message: row[CSV.message] ?? '',
      detail: row[CSV.detail] || null,
    }
  }
}

async function* jsonEntries(input: Readable): AsyncGenerator<LogEntry> {
  for await (const line of createInterface({input, crlfDelay: Infinity})) {
    if (!line.startsWith('{')) continue
    let e: Record<string, unknown>
    try {
      e = JSON.parse(line)
    } catch {
      continue
    }
    const text = (key: string) => (typeof e[key] === 'string' && e[key] !== '' ? (e[key] as string) : null)
    yield {
      time: parseLogTime(text('timestamp') ?? ''),
      database: text('dbname'),
      application: text('application_name'),
      severity: text('error_severity') ?? '',
      message: text('message') ?? '',
      detail: text('detail'),
    }
  }
}

/** `<log_line_prefix>LOG:  text`; the prefix is what comes before the severity. */
const STDERR_LINE =
  /^(.*?)\b(LOG|DETAIL|HINT|STATEMENT|CONTEXT|QUERY|LOCATION|ERROR|WARNING|NOTICE|INFO|FATAL|PANIC|DEBUG\d?):  (.*)$/
/** Debian's and many sites' prefixes end in `user@database `; `app=%a` gives the application. */
const PREFIX_DATABASE = /\S+@(\S+)\s*$/
const PREFIX_APPLICATION = /\bapp(?:lication)?=(\S+)/

async function* stderrEntries(input: Readable): AsyncGenerator<LogEntry> {
  let entry: LogEntry | undefined
  // Where a tab-indented continuation line belongs: the message, its DETAIL, or nowhere (HINT, STATEMENT, ...).
  let into: 'message' | 'detail' | null = 'message'
  for await (const line of createInterface({input, crlfDelay: Infinity})) {
    const m = STDERR_LINE.exec(line)
    if (!m) {
      // A statement's further lines start with a tab; anything else (a stray line) is left out.
      if (entry && into && line.startsWith('\t')) entry[into] = `${entry[into] ?? ''}\n${line.slice(1)}`
      continue
    }
    const [, prefix, severity, text] = m
    if (entry && severity === 'DETAIL') {
      entry.detail = entry.detail === null ? text : `${entry.detail}\n${text}`
      into = 'detail'
      continue
    }
    if (entry && ['HINT', 'STATEMENT', 'CONTEXT', 'QUERY', 'LOCATION'].includes(severity)) {
      into = null
      continue
    }
    if (entry) yield entry
    entry = {
      time: parseLogTime(prefix),
      database: PREFIX_DATABASE.exec(prefix)?.[1] ?? null,
      application: PREFIX_APPLICATION.exec(prefix)?.[1] ?? null,
      severity,
      message: text,
      detail: null,
    }
    into = 'message'
  }
  if (entry) yield entry
}
