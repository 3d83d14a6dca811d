import type {OverviewRow, OverviewSample, StatementCounter, SystemFigures, TopQueryRow} from './types.js'

const nonNegative = (n: number) => (n < 0 ? 0 : n)

/** The order of each database's counters in dashboard/overview. */
const DATABASE_COUNTERS = [
  'xacts',
  'rows_read',
  'rows_written',
  'blks_hit',
  'blks_read',
  'deadlocks',
  'temp_bytes',
  'inserts',
  'updates',
  'deletes',
  'temp_files',
  'size_bytes',
] as const
type DatabaseCounter = (typeof DATABASE_COUNTERS)[number]

/**
 * What each counter grew by since the previous sample, summed over the databases present in both:
 * a database created, dropped or reset between the two samples adds nothing rather than a negative figure.
 */
function counterDeltas(prev: OverviewSample, cur: OverviewSample): Record<DatabaseCounter, number> {
  const sums = Object.fromEntries(DATABASE_COUNTERS.map((k) => [k, 0])) as Record<DatabaseCounter, number>
  for (const [datid, now] of Object.entries(cur.databases)) {
    const before = prev.databases[datid]
    if (!before) continue
    DATABASE_COUNTERS.forEach((key, i) => {
      // A database that shrank (size) counts as no growth.
      sums[key] += nonNegative(Number(now[i] ?? 0) - Number(before[i] ?? 0))
    })
  }
  return sums
}

/** The Overview pane from two samples: rates per second and counts since the previous tick. */
export function overviewRow(
  prev: OverviewSample | undefined,
  cur: OverviewSample,
  system: SystemFigures | null = null,
): OverviewRow {
  const seconds = prev ? (cur.sampled_at.getTime() - prev.sampled_at.getTime()) / 1000 : 0
  const deltas = prev ? counterDeltas(prev, cur) : null
  const rate = (key: 'xacts' | 'rows_read' | 'rows_written' | 'inserts' | 'updates' | 'deletes' | 'size_bytes') =>
    deltas === null || seconds <= 0 ? null : round(deltas[key] / seconds, 1)
  const total = (key: 'blks_hit' | 'blks_read' | 'size_bytes') =>
    Object.values(cur.databases).reduce((sum, c) => sum + Number(c[DATABASE_COUNTERS.indexOf(key)]), 0)
  const hits = deltas?.blks_hit ?? total('blks_hit')
  const reads = deltas?.blks_read ?? total('blks_read')
  return {
    server_version: cur.server_version,
    uptime_s: Number(cur.uptime_s),
    connections: cur.connections,
    max_connections: cur.max_connections,
    connections_by_state: cur.connections_by_state ?? {},
    xacts_per_s: rate('xacts'),
    rows_read_per_s: rate('rows_read'),
    rows_written_per_s: rate('rows_written'),
    cache_hit_ratio: hits + reads > 0 ? round(hits / (hits + reads), 4) : null,
    deadlocks: deltas?.deadlocks ?? null,
    temp_bytes: deltas?.temp_bytes ?? null,
    in_recovery: cur.in_recovery,
    replicas: cur.replicas,
    replication_lag_s: cur.replication_lag_s === null ? null : Number(cur.replication_lag_s),
    standbys: cur.standbys ?? [],
    oldest_xact_s: cur.oldest_xact_s === null ? null : Number(cur.oldest_xact_s),
    db_size_bytes: total('size_bytes'),
    db_growth_bytes_per_s: rate('size_bytes'),
    sessions_waiting: cur.waiting,
    inserts_per_s: rate('inserts'),
    updates_per_s: rate('updates'),
    deletes_per_s: rate('deletes'),
    temp_files: deltas?.temp_files ?? null,
    workers: cur.workers,
    max_workers: cur.max_workers,
    autovacuum_workers: cur.autovacuum_workers,
    max_autovacuum_workers: cur.max_autovacuum_workers,
    wal_senders: cur.wal_senders,
    max_wal_senders: cur.max_wal_senders,
    wal_receivers: cur.wal_receivers,
    replication_slots: cur.replication_slots,
    max_replication_slots: cur.max_replication_slots,
    system,
  }
}

/** Statements that ran during the tick, most time first (deltas of pg_stat_statements counters). */
export function topQueries(
  prev: Map<string, StatementCounter> | undefined,
  cur: StatementCounter[],
  seconds: number,
  limit = 50,
): Array<Omit<TopQueryRow, 'query'>> {
  if (!prev || seconds <= 0) return []
  const out: Array<Omit<TopQueryRow, 'query'>> = []
  for (const c of cur) {
    const p = prev.get(c.key)
    const calls = nonNegative(Number(c.calls) - Number(p?.calls ?? 0))
    const totalMs = nonNegative(c.total_exec_ms - (p?.total_exec_ms ?? 0))
    if (calls === 0 && totalMs === 0) continue
    out.push({
      queryid: String(c.queryid),
      database: c.database,
      calls,
      calls_per_s: round(calls / seconds, 2),
      total_ms: round(totalMs, 3),
      mean_ms: calls > 0 ? round(totalMs / calls, 3) : 0,
      rows: nonNegative(Number(c.rows) - Number(p?.rows ?? 0)),
    })
  }
  return out.sort((a, b) => b.total_ms - a.total_ms || b.calls - a.calls).slice(0, limit)
}

export function round(n: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(n * f) / f
}
