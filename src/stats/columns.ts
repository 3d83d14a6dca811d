import type {Column} from '../output/format.js'
import {humanBytes} from '../output/human.js'

/** 1536 -> "1.5 kB" (the byte count stays raw in csv and json). */
export const readableBytes = (value: unknown): string =>
  value === null || value === undefined ? '' : humanBytes(Number(value))

const TOP_COLUMNS = [
  'queryid',
  'user_name',
  'db_name',
  'calls',
  'total_ms',
  'mean_ms',
  'stddev_ms',
  'rows',
  'pct_total',
  'shared_blks_hit',
  'shared_blks_read',
  'shared_blks_written',
  'hit_ratio',
  'temp_blks_read',
  'temp_blks_written',
  'blk_read_ms',
  'blk_write_ms',
  'toplevel',
  'query',
]

const DELTA_COLUMNS = [
  'queryid',
  'status',
  'user_name',
  'db_name',
  'calls',
  'total_ms',
  'mean_ms',
  'mean_before_ms',
  'mean_change_pct',
  'stddev_ms',
  'rows',
  'pct_total',
  'shared_blks_hit',
  'shared_blks_read',
  'shared_blks_written',
  'hit_ratio',
  'temp_blks_read',
  'temp_blks_written',
  'blk_read_ms',
  'blk_write_ms',
  'toplevel',
  'query',
]

/** What a table shows unless --wide, in this order, most important first: the figures that answer "what hurts now". */
const TOP_TABLE = ['query', 'total_ms', 'calls', 'mean_ms', 'pct_total', 'rows', 'hit_ratio', 'db_name', 'user_name']
const DELTA_TABLE = [
  'query',
  'status',
  'total_ms',
  'mean_ms',
  'mean_change_pct',
  'mean_before_ms',
  'calls',
  'pct_total',
  'db_name',
]

/**
 * Columns for `stats top` and their priority: every column in csv/json (and in a table with --wide).
 * A plain table starts with the query and leaves out the 20-digit queryid, which would take the text's
 * room; -x (one record per block) has the room and keeps it.
 */
export function statementColumns(options: {delta: boolean; table: boolean; wide?: boolean; expanded?: boolean}): {
  columns: string[]
  priority: string[]
} {
  const priority = options.delta ? DELTA_TABLE : TOP_TABLE
  if (!options.table || options.wide) return {columns: options.delta ? DELTA_COLUMNS : TOP_COLUMNS, priority}
  return {columns: options.expanded ? ['queryid', ...priority] : priority, priority}
}

/** Plans and SQL keep their indentation in a table (plain spaces: they paste into psql and tickets as they are). */
export const EXPLAIN_COLUMNS: Column[] = [{key: 'section'}, {key: 'text', indent: true}]
