import type {AdviseResult} from './types.js'

/** `stats advise` columns, the same in every format. */
export const ADVICE_COLUMNS = [
  'rank',
  'index_statement',
  'table_name',
  'columns',
  'statements',
  'queryids',
  'method',
  'cost_before',
  'cost_after',
  'saving_pct',
  'mean_ms_before',
  'est_mean_ms_after',
  'saving_ms_per_day',
  'index_bytes',
  'writes_per_min',
  'write_ms_per_day',
  'write_window',
  'query',
]

/** What --verify adds: runs per phase and client-side p50/p95 in milliseconds, and whether the index stayed. */
export const VERIFY_COLUMNS = ['verify_runs', 'p50_before_ms', 'p95_before_ms', 'p50_after_ms', 'p95_after_ms', 'kept']

/** stderr lines: how many statements were looked at, what was left out, and what --verify would do. */
export function adviceNotes(result: AdviseResult, verify: boolean): string[] {
  const lines = [
    `${result.examined} statement${result.examined === 1 ? '' : 's'} examined, ${result.suggestions.length} index${result.suggestions.length === 1 ? '' : 'es'} suggested`,
    ...result.notes,
  ]
  if (!verify && result.suggestions.length > 0)
    lines.push('nothing was created (hypothetical indexes only); --verify builds and times each index')
  return lines
}
