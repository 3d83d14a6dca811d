import type {IndexSpec} from './candidates.js'
import type {Subject} from './subjects.js'

/** One suggested index and what it was proven to do. */
export interface Suggestion {
  rank: number
  index_statement: string
  index_name: string
  table_name: string
  columns: string
  queryids: string[]
  statements: number
  /** How the costs were measured: plain, generic_plan, prepared_generic or mcv (per statement, comma-separated). */
  method: string
  cost_before: number
  cost_after: number
  saving_pct: number
  mean_ms_before: number | null
  est_mean_ms_after: number | null
  saving_ms_per_day: number | null
  index_bytes: number | null
  writes_per_min: number | null
  write_ms_per_day: number | null
  write_window: string | null
  query: string
  /** For --verify: the spec the index is built from and the statements it helps. */
  spec: IndexSpec
  subjects: Subject[]
}

export interface AdviseResult {
  suggestions: Suggestion[]
  notes: string[]
  examined: number
}
