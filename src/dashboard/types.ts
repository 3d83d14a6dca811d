import type {BlockingRow, LockTreeRow} from '../activity/locks.js'
import type {SessionRow} from '../activity/sessions.js'

/** Server processes and slots, each with its maximum (pg_activity's header). */
export interface ServerProcesses {
  workers: number
  max_workers: number
  autovacuum_workers: number
  max_autovacuum_workers: number
  wal_senders: number
  max_wal_senders: number
  wal_receivers: number
  replication_slots: number
  max_replication_slots: number
}

/** A standby streaming from the server, for the Overview pane. */
export interface StandbySummary {
  name: string
  state: string
  sync_state: string
  replay_lag_s: number
  replay_bytes: number | null
}

/** dashboard/overview, as read (cumulative counters). */
export interface OverviewSample extends ServerProcesses {
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
  waiting: number
  backend_pid: number
  sampled_at: Date
}

/** The Overview pane: gauges, and rates over the last tick (null on the first tick). */
export interface OverviewRow extends ServerProcesses {
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
  /** pg_activity's header figures: sizes of the databases this role can read, and their growth over the tick. */
  db_size_bytes: number
  db_growth_bytes_per_s: number | null
  sessions_waiting: number
  inserts_per_s: number | null
  updates_per_s: number | null
  deletes_per_s: number | null
  temp_files: number | null
  /** Memory, swap and load of the server's machine when it is this one; null when remote. */
  system: SystemFigures | null
}

export interface SystemFigures {
  mem_total_bytes: number
  mem_used_bytes: number
  swap_total_bytes: number
  swap_used_bytes: number
  load: [number, number, number]
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

/** A session, with its process's CPU%, MEM% and IO per second when the server is local (null otherwise). */
/** pg_activity's per-process columns: CPU% and IO per second since the previous sample, memory as a share of the machine's. */
export interface ProcessFigures {
  cpu_pct: number | null
  mem_pct: number | null
  read_bytes_per_s: number | null
  write_bytes_per_s: number | null
}

export type ActivityRow = SessionRow & ProcessFigures

/** The panes read on their own, each skipped alone when it fails or a lock would hold it up. */
export type SkippablePane = 'activity' | 'locks' | 'top_queries' | 'tenants'

export interface DashboardData {
  at: Date
  tick: number
  /** Wall time of the tick's transaction, in milliseconds. */
  db_ms: number
  overview: OverviewRow
  activity: ActivityRow[]
  blocking: BlockingRow[]
  lockTree: LockTreeRow[]
  /** null: pg_stat_statements is not loaded or not installed. */
  topQueries: TopQueryRow[] | null
  /** null: not a FluxStudio database. */
  tenants: TenantRow[] | null
  /** Panes not read this tick, each with the line that says why (the lock holder, or the error). */
  skipped: Partial<Record<SkippablePane, string>>
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
