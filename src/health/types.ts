import type {Session} from '../db/session.js'
import type {StanzaInfo} from '../backup/pgbackrest.js'

/** The shapes every health file shares: checks, their rows and results, and what PgBouncer and pgBackRest report. */

export type State = 'OK' | 'WARNING' | 'CRITICAL' | 'UNKNOWN'
export type Unit = 'seconds' | 'percent' | 'count' | 'ms' | 'bytes'
export type Group =
  | 'server'
  | 'activity'
  | 'maintenance'
  | 'app'
  | 'settings'
  | 'queries'
  | 'pgbouncer'
  | 'pgbackrest'
  | 'replication'
  | 'citus'

/** The row every health query returns: a measured value (NULL = nothing to measure) and one line of detail. */
export interface CheckRow {
  value: number | null
  detail: string
  [key: string]: unknown
}

/** What a check's parameters may depend on: `--db` narrows the activity checks to one database. */
export interface CheckContext {
  database: string | null
}

export interface CheckDef {
  name: string
  group: Group
  summary: string
  unit: Unit
  /** Thresholds: the state worsens when the value is above (or below) them. */
  direction?: 'above' | 'below'
  warn?: number
  crit?: number
  /** sql/queries/<query>.sql (a version variant is picked for the server); absent for the connection check. */
  query?: string
  params?: unknown[] | ((ctx: CheckContext) => unknown[])
  /** Skipped (OK) unless fluxadmin's stat snapshots with database sizes exist in this database. */
  needs?: 'snapshots'
  /** For a query that lists rows (shared with another command): the one check row made from them (`also`: the rows of `with`). */
  reduce?: (
    rows: Array<Record<string, unknown>>,
    ctx: CheckContext,
    also?: Array<Record<string, unknown>>,
  ) => CheckRow | undefined
  /** Another query (no parameters) whose rows reduce reads too, e.g. what holds back vacuum for dead_tuples. */
  with?: string
  /** For checks without thresholds: the state from the row. */
  judge?: (row: CheckRow) => State
  /** A state the row forces whatever the thresholds say (the worse of both wins). */
  escalate?: (row: CheckRow) => State
  /** For PgBouncer checks (`--pgbouncer URL`): the row from its admin console's SHOW POOLS / SHOW DATABASES. */
  pgbouncer?: (data: PoolData) => CheckRow
  /** For pgBackRest checks (`--stanza NAME`): the row from `pgbackrest info` and `pgbackrest check`. */
  pgbackrest?: (data: StanzaHealth) => CheckRow
  /** For checks computed by fluxadmin rather than one query: the row, from the session. */
  run?: (session: Session) => Promise<CheckRow>
  /** Detail when the query finds nothing to measure. */
  none?: string
}

export interface CheckResult {
  check: string
  state: State
  value: number | null
  unit: Unit
  warn: number | null
  crit: number | null
  direction: 'above' | 'below' | null
  detail: string
}

export interface HealthReport {
  database: string | null
  connected: boolean
  checks: CheckResult[]
  state: State
  /** Monitoring convention: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
  exitCode: number
}

/** One pool (database/user) from PgBouncer's SHOW POOLS, with its pool size from SHOW DATABASES. */
export interface Pool {
  database: string
  user: string
  cl_active: number
  cl_waiting: number
  sv_active: number
  sv_idle: number
  maxwait: number
  maxwait_us: number
  pool_mode: string
  pool_size: number | null
}

export interface PoolData {
  pools: Pool[]
}

/** What the pgbackrest_* checks read: `pgbackrest info` of the stanza and the outcome of `pgbackrest check`. */
export interface StanzaHealth {
  info: StanzaInfo
  check: {ok: boolean; message: string}
}

/** `vacuum status --sort` */
export type VacuumSort = 'dead' | 'last-vacuum' | 'name'

export interface VacuumStatusRow {
  table_name: string
  live_tuples: number
  dead_tuples: number
  dead_ratio: number
  last_vacuum: Date | null
  last_autovacuum: Date | null
  last_analyze: Date | null
  last_autoanalyze: Date | null
  vacuum_count: number
  autovacuum_count: number
  analyze_count: number
  autoanalyze_count: number
  autovacuum_enabled: boolean
  vacuum_threshold: number
  insert_threshold: number | null
  analyze_threshold: number
  xid_age: number
  freeze_max_age: number
  vacuum_due: boolean
  analyze_due: boolean
  due_reason: string
}
