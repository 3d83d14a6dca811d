import type {BlockingRow, LockTreeRow} from '../activity/locks.js'
import type {SessionRow} from '../activity/sessions.js'

/** A standby streaming from the server, for the Overview pane. */
export interface StandbySummary {
  name: string
  state: string
  sync_state: string
  replay_lag_s: number
  replay_bytes: number | null
}

/** dashboard/overview, as read (cumulative counters). */
export interface OverviewSample {
  server_version: string
  started_at: Date
  uptime_s: number
  max_connections: number
  connections: number
  connections_by_state: Record<string, number>
  /** Cumulative counters per database oid, in DATABASE_COUNTERS order. */
  databases: Record<string, Array<number | string>>
  in_recovery: boolean
  replicas: number
  replication_lag_s: number | null
  standbys: StandbySummary[]
  oldest_xact_s: number | null
  sampled_at: Date
}

/** The Overview pane: gauges, and rates over the last tick (null on the first tick). */
export interface OverviewRow {
  server_version: string
  uptime_s: number
  connections: number
  max_connections: number
  connections_by_state: Record<string, number>
  xacts_per_s: number | null
  rows_read_per_s: number | null
  rows_written_per_s: number | null
  cache_hit_ratio: number | null
  deadlocks: number | null
  temp_bytes: number | null
  in_recovery: boolean
  replicas: number
  replication_lag_s: number | null
  standbys: StandbySummary[]
  oldest_xact_s: number | null
}

export interface StatementCounter {
  key: string
  queryid: number | string
  database: string | null
  calls: number
  total_exec_ms: number
  rows: number
}

/** The Top queries pane: what each statement did during the last tick. */
export interface TopQueryRow {
  queryid: string
  database: string | null
  calls: number
  calls_per_s: number
  total_ms: number
  mean_ms: number
  rows: number
  query: string | null
}

export interface TenantRow {
  organization_id: string
  slug: string
  name: string
  messages_5m: number
  messages_1h: number
  files_5m: number
  files_1h: number
}

export interface DashboardData {
  at: Date
  tick: number
  /** Wall time of the tick's transaction, in milliseconds. */
  db_ms: number
  overview: OverviewRow
  activity: SessionRow[]
  blocking: BlockingRow[]
  lockTree: LockTreeRow[]
  /** null: pg_stat_statements is not loaded or not installed. */
  topQueries: TopQueryRow[] | null
  /** null: not a FluxStudio database. */
  tenants: TenantRow[] | null
}

export interface PollerState {
  data?: DashboardData
  error?: string
  connected: boolean
  paused: boolean
  intervalMs: number
  showIdle: boolean
  /** When reconnecting: the next attempt, epoch ms. */
  retryAt?: number
}
