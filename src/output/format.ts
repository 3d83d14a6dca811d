import type {Unit} from './human.js'

export const FORMATS = ['table', 'csv', 'json', 'ndjson'] as const
export type Format = (typeof FORMATS)[number]

export type Row = Record<string, unknown>
/** Bytes already in an output format (COPY ... TO STDOUT), written through as they come. */
export interface RawRows {
  raw: AsyncIterable<Buffer | string>
  /** CSV; NDJSON (one JSON object per line); JSON: the array's elements, one per line, separated by `,\n` (see render.ts). */
  format: 'csv' | 'ndjson' | 'json'
  /** Rows written, known once `raw` has ended. */
  rowCount(): number
  /** Gives back a chunk of `raw` once it is written: a lending COPY then reuses its memory. */
  release?(chunk: Buffer | string): void
}

/** Any objects: domain functions return their own row interfaces; or raw CSV bytes. */
export type Rows = AsyncIterable<object> | Iterable<object> | RawRows

export interface Column {
  key: string
  /** Table cell text; csv/json keep the raw value. */
  display?: (value: unknown, row: Row) => string
  /** How table cells read when there is no `display` (default: from the name, see human.ts). */
  unit?: Unit
  /** Table cells keep their spaces as they are (plan and SQL lines), where other cells get runs of whitespace as one space. */
  indent?: boolean
}

export interface RenderOptions {
  format: Format
  out?: string
  gzip?: boolean
  header: boolean
  /** Prefix CSV text cells that a spreadsheet would run as a formula (off with --csv-raw). */
  csvProtect?: boolean
  color: boolean
  columns?: Array<string | Column>
  /** Table columns kept longest when the terminal is narrow, most important first (then declaration order). */
  priority?: string[]
  /** Terminal width a table is fitted to; none: cells whole. */
  width?: number
  /** A table with every column and whole cells. */
  wide?: boolean
  /** One record per block; undefined: only when the table cannot fit (psql's `\x auto`). */
  expanded?: boolean
  /** Page tables longer than `height` lines through this command. */
  pager?: {command: string; height: number}
}

/** Default when --format is not given: a table for people, CSV for pipes and files (FLUXADMIN_FORMAT overrides). */
export function defaultFormat(isTTY: boolean, out: string | undefined, env: NodeJS.ProcessEnv = process.env): Format {
  const fromEnv = env.FLUXADMIN_FORMAT as Format | undefined
  if (fromEnv && FORMATS.includes(fromEnv)) return fromEnv
  if (out) return /\.json(\.gz)?$/.test(out) ? 'json' : /\.ndjson(\.gz)?$/.test(out) ? 'ndjson' : 'csv'
  return isTTY ? 'table' : 'csv'
}

/** Colours only on a terminal, and never with NO_COLOR. */
export function useColor(stream: {isTTY?: boolean}, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !('NO_COLOR' in env && env.NO_COLOR !== '') && env.TERM !== 'dumb'
}
