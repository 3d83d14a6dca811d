import {readableBytes} from '../stats/columns.js'
import type {CheckRow} from './types.js'

/** Objects wasting less than this are never reported (the bloat checks' shared query, vacuum/bloat, filters them). */
export const MIN_BLOAT_BYTES = 1024 * 1024
/** The ratio check leaves out objects wasting less than this: a small table at 90% bloat needs no page. */
export const MIN_BLOAT_RATIO_BYTES = 10 * 1024 * 1024
export const BLOAT_ROW_LIMIT = 1000

interface BloatRow {
  object_type: string
  table_name: string
  index_name: string | null
  actual_bytes: number
  wasted_bytes: number
}

const percentWasted = (r: BloatRow) =>
  r.actual_bytes > 0 ? Math.round((1000 * r.wasted_bytes) / r.actual_bytes) / 10 : 0
const advice = (r: BloatRow) =>
  r.object_type === 'index'
    ? `REINDEX INDEX CONCURRENTLY ${r.index_name}`
    : `pg_repack or VACUUM FULL ${r.table_name} (VACUUM FULL locks it)`

function describe(r: BloatRow, count: number): string {
  const name = r.object_type === 'index' ? `index ${r.index_name} on ${r.table_name}` : `table ${r.table_name}`
  return `${count} object(s) wasting ${readableBytes(MIN_BLOAT_BYTES)} or more; worst: ${name} wastes ${readableBytes(r.wasted_bytes)} of ${readableBytes(r.actual_bytes)} (${percentWasted(r)}%, estimated from statistics); ${advice(r)}`
}

/** `bloat`: the most bytes one table or index wastes. */
export function bloatBytes(rows: Array<Record<string, unknown>>): CheckRow {
  const list = rows as unknown as BloatRow[]
  if (list.length === 0)
    return {
      value: 0,
      detail: `no table or index wastes ${readableBytes(MIN_BLOAT_BYTES)} or more (estimate needs ANALYZE)`,
    }
  const worst = list.reduce((a, b) => (b.wasted_bytes > a.wasted_bytes ? b : a))
  return {value: worst.wasted_bytes, detail: describe(worst, list.length)}
}

/** `bloat_ratio`: the highest share of its size one table or index wastes, among those wasting at least MIN_BLOAT_RATIO_BYTES. */
export function bloatRatio(rows: Array<Record<string, unknown>>): CheckRow {
  const list = (rows as unknown as BloatRow[]).filter((r) => r.wasted_bytes >= MIN_BLOAT_RATIO_BYTES)
  if (list.length === 0)
    return {value: 0, detail: `no table or index wastes ${readableBytes(MIN_BLOAT_RATIO_BYTES)} or more`}
  const worst = list.reduce((a, b) => (percentWasted(b) > percentWasted(a) ? b : a))
  return {value: percentWasted(worst), detail: describe(worst, list.length)}
}
