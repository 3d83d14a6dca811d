export const FORMATS = ['table', 'csv', 'json', 'ndjson'] as const
export type Format = (typeof FORMATS)[number]

export type Row = Record<string, unknown>
/** Bytes already in an output format (COPY ... TO STDOUT), written through as they come. */
export interface RawRows {
  raw: AsyncIterable<Buffer | string>
  /** CSV, or NDJSON (one JSON object per line), which also renders as a JSON array. */
  format: 'csv' | 'ndjson'
  /** Rows written, known once `raw` has ended. */
  rowCount(): number
  /** Which columns hold text, for the formula protection of CSV cells. */
  textColumns?: boolean[]
}

/** Any objects: domain functions return their own row interfaces; or raw CSV bytes. */
export type Rows = AsyncIterable<object> | Iterable<object> | RawRows

export interface Column {
  key: string
  /** Table cell text; csv/json keep the raw value. */
  display?: (value: unknown, row: Row) => string
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
  /** Longest table cell before it is cut with an ellipsis; 0 keeps cells whole. */
  maxCellWidth?: number
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
