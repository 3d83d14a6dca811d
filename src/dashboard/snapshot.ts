import type {Session} from '../db/session.js'
import {capabilities, newMemory, runTick, type TickOptions} from './tick.js'
import type {DashboardData} from './types.js'

export const PANES = ['overview', 'activity', 'locks', 'top_queries', 'tenants'] as const
export type PaneName = (typeof PANES)[number]

/** The columns of each pane in `dashboard --once` output; every row also has `pane`. */
export const PANE_COLUMNS: Record<PaneName, string[]> = {
  overview: [
    'server_version',
    'uptime_s',
    'connections',
    'max_connections',
    'connections_by_state',
    'xacts_per_s',
    'rows_read_per_s',
    'rows_written_per_s',
    'cache_hit_ratio',
    'deadlocks',
    'temp_bytes',
    'in_recovery',
    'replicas',
    'replication_lag_s',
    'standbys',
    'oldest_xact_s',
    'db_size_bytes',
    'db_growth_bytes_per_s',
    'sessions_waiting',
    'inserts_per_s',
    'updates_per_s',
    'deletes_per_s',
    'temp_files',
    'workers',
    'max_workers',
    'autovacuum_workers',
    'max_autovacuum_workers',
    'wal_senders',
    'max_wal_senders',
    'wal_receivers',
    'replication_slots',
    'max_replication_slots',
    'system',
    'db_ms',
  ],
  activity: [
    'pid',
    'database',
    'user',
    'application',
    'client',
    'state',
    'wait_event_type',
    'wait_event',
    'duration_s',
    'xact_age_s',
    'blocked_by',
    'blocking',
    'cpu_pct',
    'mem_pct',
    'read_bytes_per_s',
    'write_bytes_per_s',
    'query',
  ],
  locks: ['tree', 'pid', 'depth', 'parent', 'blocked_by', 'waiting_mode', 'held_modes', 'relation', 'wait_s', 'query'],
  top_queries: ['queryid', 'database', 'calls', 'calls_per_s', 'total_ms', 'mean_ms', 'rows', 'query'],
  tenants: ['organization_id', 'slug', 'name', 'messages_5m', 'messages_1h', 'files_5m', 'files_1h'],
}

/** `pane` then the union of the chosen panes' columns, each once, in pane order. */
export function snapshotColumns(panes: readonly PaneName[]): string[] {
  return [...new Set(['pane', ...panes.flatMap((p) => PANE_COLUMNS[p])])]
}

/** One row per item of every pane, tagged with `pane` (the overview is one row). */
export function snapshotRows(data: DashboardData, panes: readonly PaneName[] = PANES): object[] {
  const rows: object[] = []
  for (const pane of panes) {
    if (pane === 'overview') rows.push({pane, ...data.overview, db_ms: data.db_ms})
    if (pane === 'activity') for (const r of data.activity) rows.push({pane, ...r})
    if (pane === 'locks') for (const r of data.lockTree) rows.push({pane, ...r})
    if (pane === 'top_queries') for (const r of data.topQueries ?? []) rows.push({pane, ...r})
    if (pane === 'tenants') for (const r of data.tenants ?? []) rows.push({pane, ...r})
  }
  return rows
}

/** `--format json`: one object with a key per chosen pane (the overview an object, the others arrays). */
export function snapshotObject(data: DashboardData, panes: readonly PaneName[] = PANES): Record<string, unknown> {
  const pick = (row: object, pane: PaneName) =>
    Object.fromEntries(PANE_COLUMNS[pane].map((key) => [key, (row as Record<string, unknown>)[key] ?? null]))
  const items: Record<Exclude<PaneName, 'overview'>, object[]> = {
    activity: data.activity,
    locks: data.lockTree,
    top_queries: data.topQueries ?? [],
    tenants: data.tenants ?? [],
  }
  return Object.fromEntries(
    panes.map((pane) => [
      pane,
      pane === 'overview'
        ? pick({...data.overview, db_ms: data.db_ms}, pane)
        : items[pane].map((row) => pick(row, pane)),
    ]),
  )
}

/**
 * Two ticks `sampleMs` apart (rates and top queries need a previous sample), returned as the
 * second tick's data: what `dashboard --once` (or a non-terminal stdout) prints.
 */
export async function dashboardSnapshot(
  session: Session,
  options: Omit<TickOptions, 'caps'> & {sampleMs: number},
): Promise<DashboardData> {
  const caps = await capabilities(session)
  const memory = newMemory()
  const tick = {...options, caps, lockTree: true}
  await runTick(session, memory, tick)
  await new Promise((resolve) => setTimeout(resolve, options.sampleMs))
  return runTick(session, memory, tick)
}
