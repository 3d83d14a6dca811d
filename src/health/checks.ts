/** Every check `health check` runs: its query, unit, and default thresholds (README and docs/health.md list them). */

import {REPLICATION_CHECKS} from './replication.js'

export type State = 'OK' | 'WARNING' | 'CRITICAL' | 'UNKNOWN'
export type Unit = 'seconds' | 'percent' | 'count' | 'ms' | 'bytes'
export type Group = 'server' | 'activity' | 'maintenance' | 'app' | 'replication'

/** The row every health query returns: a measured value (NULL = nothing to measure) and one line of detail. */
export interface CheckRow {
  value: number | null
  detail: string
  [key: string]: unknown
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
  /** sql/queries/<query>.sql; absent for the connection check. */
  query?: string
  params?: unknown[]
  /** For checks without thresholds: the state from the row. */
  judge?: (row: CheckRow) => State
  /** Detail when the query finds nothing to measure. */
  none?: string
}

const MIN_DEAD_TUPLES = 1000
const MIN_CHANGES = 1000
const MIN_CACHE_BLOCKS = 10_000
const DAY = 86_400

export const CHECKS: CheckDef[] = [
  {name: 'connection', group: 'server', summary: 'can connect; value: seconds to connect', unit: 'seconds', direction: 'above', warn: 1, crit: 5},
  {name: 'connections', group: 'server', summary: 'connections used, % of max_connections minus superuser_reserved_connections', unit: 'percent', direction: 'above', warn: 80, crit: 95, query: 'health/connections'},
  {name: 'xid_wraparound', group: 'server', summary: 'oldest datfrozenxid age, % of the 2^31 limit', unit: 'percent', direction: 'above', warn: 50, crit: 75, query: 'health/xid-wraparound'},
  {name: 'mxid_wraparound', group: 'server', summary: 'oldest datminmxid (multixact) age, % of the 2^31 limit', unit: 'percent', direction: 'above', warn: 50, crit: 75, query: 'health/mxid-wraparound'},
  {name: 'long_transactions', group: 'activity', summary: 'oldest open transaction of another session in this database', unit: 'seconds', direction: 'above', warn: 300, crit: 3600, query: 'health/long-transactions'},
  {name: 'idle_in_transaction', group: 'activity', summary: 'longest idle-in-transaction session in this database', unit: 'seconds', direction: 'above', warn: 60, crit: 600, query: 'health/idle-in-transaction'},
  {name: 'blocked_queries', group: 'activity', summary: 'longest lock wait of a session blocked by another (pg_blocking_pids)', unit: 'seconds', direction: 'above', warn: 30, crit: 300, query: 'health/blocked-queries'},
  {name: 'dead_tuples', group: 'maintenance', summary: `highest dead-tuple ratio of a table with >= ${MIN_DEAD_TUPLES} dead tuples`, unit: 'percent', direction: 'above', warn: 20, crit: 50, query: 'health/dead-tuples', params: [MIN_DEAD_TUPLES], none: `no table with ${MIN_DEAD_TUPLES} or more dead tuples`},
  {name: 'last_vacuum', group: 'maintenance', summary: `longest time without vacuum of a table with >= ${MIN_DEAD_TUPLES} dead tuples`, unit: 'seconds', direction: 'above', warn: 7 * DAY, crit: 30 * DAY, query: 'health/vacuum-age', params: [MIN_DEAD_TUPLES], none: `no table with ${MIN_DEAD_TUPLES} or more dead tuples`},
  {name: 'last_analyze', group: 'maintenance', summary: `longest time without analyze of a table with >= ${MIN_CHANGES} changed rows`, unit: 'seconds', direction: 'above', warn: 7 * DAY, crit: 30 * DAY, query: 'health/analyze-age', params: [MIN_CHANGES], none: `no table with ${MIN_CHANGES} or more rows changed since its last analyze`},
  {name: 'invalid_indexes', group: 'maintenance', summary: 'invalid indexes (failed CREATE INDEX CONCURRENTLY)', unit: 'count', direction: 'above', warn: 0, query: 'health/invalid-indexes'},
  {name: 'sequences', group: 'maintenance', summary: 'sequence closest to its limit, % of its range used', unit: 'percent', direction: 'above', warn: 75, crit: 90, query: 'health/sequences', none: 'no sequences'},
  {name: 'cache_hit', group: 'server', summary: `buffer cache hit ratio of this database (after ${MIN_CACHE_BLOCKS} block accesses)`, unit: 'percent', direction: 'below', warn: 99, crit: 95, query: 'health/cache-hit', params: [MIN_CACHE_BLOCKS]},
  ...REPLICATION_CHECKS,
  {name: 'replication_slots', group: 'server', summary: 'inactive replication slots (retain WAL)', unit: 'count', direction: 'above', warn: 0, query: 'health/replication-slots'},
  {name: 'pg_stat_statements', group: 'server', summary: 'pg_stat_statements preloaded and created in this database', unit: 'count', query: 'health/pg-stat-statements',
    judge: (row) => (row.value === 0 ? 'OK' : 'WARNING')},
  {name: 'statement_timeout', group: 'server', summary: 'statement_timeout set for new sessions (0 = no limit)', unit: 'ms', query: 'health/statement-timeout',
    judge: (row) => (row.value === 0 ? 'WARNING' : 'OK')},
  {name: 'autovacuum', group: 'maintenance', summary: 'autovacuum and track_counts on (CRITICAL if off); tables with autovacuum disabled (WARNING)', unit: 'count', query: 'health/autovacuum',
    judge: (row) => (row.server_off ? 'CRITICAL' : (row.value ?? 0) > 0 ? 'WARNING' : 'OK')},
  {name: 'app_suspended_org_tokens', group: 'app', summary: 'live refresh tokens of members of suspended organizations', unit: 'count', direction: 'above', warn: 0, query: 'health/app-suspended-org-tokens'},
  {name: 'app_stale_tokens', group: 'app', summary: 'expired or revoked refresh tokens not purged', unit: 'count', direction: 'above', warn: 10_000, crit: 1_000_000, query: 'health/app-stale-tokens'},
  {name: 'app_inactive_members', group: 'app', summary: 'organization or team memberships of inactive users', unit: 'count', direction: 'above', warn: 0, query: 'health/app-inactive-members'},
  {name: 'app_multiple_latest_files', group: 'app', summary: 'file version chains with more than one is_latest file', unit: 'count', direction: 'above', warn: 0, query: 'health/app-multiple-latest-files'},
  {name: 'app_org_id_unindexed', group: 'app', summary: 'tables with organization_id but no index leading on it', unit: 'count', direction: 'above', warn: 0, query: 'health/app-org-id-unindexed'},
  {name: 'app_fk_unindexed', group: 'app', summary: 'foreign keys without a supporting index', unit: 'count', direction: 'above', warn: 0, query: 'health/app-fk-unindexed'},
]

export const GROUPS: Group[] = ['server', 'activity', 'maintenance', 'app', 'replication']
