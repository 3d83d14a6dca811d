import type {OverviewRow, OverviewSample, StatementCounter, TopQueryRow} from './types.js'

const nonNegative = (n: number) => (n < 0 ? 0 : n)

/** The order of each database's counters in dashboard/overview. */
const DATABASE_COUNTERS = ['xacts', 'rows_read', 'rows_written', 'blks_hit', 'blks_read', 'deadlocks', 'temp_bytes'] as const
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
      sums[key] += nonNegative(Number(now[i]) - Number(before[i]))
    })
  }
  return sums
}

/** The Overview pane from two samples: rates per second and counts since the previous tick. */
export function overviewRow(prev: OverviewSample | undefined, cur: OverviewSample): OverviewRow {
  const seconds = prev ? (cur.sampled_at.getTime() - prev.sampled_at.getTime()) / 1000 : 0
  const deltas = prev ? counterDeltas(prev, cur) : null
  const rate = (key: 'xacts' | 'rows_read' | 'rows_written') =>
    deltas === null || seconds <= 0 ? null : round(deltas[key] / seconds, 1)
  const total = (key: 'blks_hit' | 'blks_read') => Object.values(cur.databases).reduce((sum, c) => sum + Number(c[DATABASE_COUNTERS.indexOf(key)]), 0)
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
  }
}

/** Statements that ran during the tick, most time first (deltas of pg_stat_statements counters). */
export function topQueries(prev: Map<string, StatementCounter> | undefined, cur: StatementCounter[], seconds: number, limit = 50): Array<Omit<TopQueryRow, 'query'>> {
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
