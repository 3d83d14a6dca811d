import type {Column} from '../output/format.js'

// Table cells only: csv and json keep the raw numbers.
const fixed = (digits: number) => (value: unknown) => (value === null || value === undefined ? '' : Number(value).toFixed(digits))
const UNITS = ['B', 'kB', 'MB', 'GB', 'TB']

/** 1536 -> "1.5 kB" (the byte count stays raw in csv and json). */
export function readableBytes(value: unknown): string {
  if (value === null || value === undefined) return ''
  let n = Number(value)
  let unit = 0
  while (Math.abs(n) >= 1024 && unit < UNITS.length - 1) {
    n /= 1024
    unit++
  }
  return unit === 0 ? `${n} B` : `${n.toFixed(1)} ${UNITS[unit]}`
}

const ms = fixed(2)
const pct = fixed(1)
const ratio = fixed(3)

/** Columns whose table cell is formatted, by name; everything else prints as is. */
export function columns(keys: string[]): Column[] {
  return keys.map((key) => {
    if (/_ms$/.test(key)) return {key, display: ms}
    if (/pct/.test(key)) return {key, display: pct}
    if (/ratio$/.test(key)) return {key, display: ratio}
    if (/_bytes$/.test(key)) return {key, display: readableBytes}
    return {key}
  })
}

export const TOP_COLUMNS = ['queryid', 'user_name', 'db_name', 'calls', 'total_ms', 'mean_ms', 'stddev_ms', 'rows', 'pct_total',
  'shared_blks_hit', 'shared_blks_read', 'shared_blks_written', 'hit_ratio', 'temp_blks_read', 'temp_blks_written', 'blk_read_ms', 'blk_write_ms', 'toplevel', 'query']

export const DELTA_COLUMNS = ['queryid', 'status', 'user_name', 'db_name', 'calls', 'total_ms', 'mean_ms', 'mean_before_ms', 'mean_change_pct',
  'stddev_ms', 'rows', 'pct_total', 'shared_blks_hit', 'shared_blks_read', 'shared_blks_written', 'hit_ratio', 'temp_blks_read', 'temp_blks_written',
  'blk_read_ms', 'blk_write_ms', 'toplevel', 'query']

/** What a table on a terminal shows unless --wide: the figures that answer "what hurts now". */
const TOP_TABLE = ['queryid', 'user_name', 'db_name', 'calls', 'total_ms', 'mean_ms', 'rows', 'pct_total', 'hit_ratio', 'query']
const DELTA_TABLE = ['queryid', 'status', 'db_name', 'calls', 'total_ms', 'mean_ms', 'mean_before_ms', 'mean_change_pct', 'pct_total', 'query']

/**
 * Columns for `stats top`: every column in csv/json (and in a table with --wide); on a terminal the query
 * is cut so that the row fits its width (whole with --full).
 */
export function statementColumns(rows: object[], options: {delta: boolean; table: boolean; wide?: boolean; full?: boolean; width?: number}): Column[] {
  const all = columns(options.delta ? DELTA_COLUMNS : TOP_COLUMNS)
  if (!options.table) return all
  const shown = options.wide ? all : all.filter((c) => (options.delta ? DELTA_TABLE : TOP_TABLE).includes(c.key))
  if (options.full || !options.width) return shown
  const text = (c: Column, row: Record<string, unknown>) => (c.display ? c.display(row[c.key], row) : String(row[c.key] ?? ''))
  const others = shown.filter((c) => c.key !== 'query')
  const used = others.reduce((sum, c) => sum + Math.max(c.key.length, ...rows.map((r) => text(c, r as Record<string, unknown>).length)) + 3, 4)
  const budget = Math.max(30, options.width - used - 1)
  return shown.map((c) => (c.key === 'query' ? {key: 'query', display: (v: unknown) => cutText(String(v ?? ''), budget)} : c))
}

function cutText(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ')
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat
}

/** Table cells are flattened to one line with single spaces: keep the indentation of plans and SQL visible. */
export const EXPLAIN_COLUMNS: Column[] = [
  {key: 'section'},
  {key: 'text', display: (value) => String(value ?? '').replace(/^ +/, (spaces) => '\u2800'.repeat(spaces.length))},
]
