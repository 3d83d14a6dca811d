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
  'shared_blks_hit', 'shared_blks_read', 'shared_blks_written', 'hit_ratio', 'temp_blks_read', 'temp_blks_written', 'toplevel', 'query']

export const DELTA_COLUMNS = ['queryid', 'status', 'user_name', 'db_name', 'calls', 'total_ms', 'mean_ms', 'mean_before_ms', 'mean_change_pct',
  'stddev_ms', 'rows', 'pct_total', 'shared_blks_hit', 'shared_blks_read', 'shared_blks_written', 'hit_ratio', 'temp_blks_read', 'temp_blks_written',
  'toplevel', 'query']
