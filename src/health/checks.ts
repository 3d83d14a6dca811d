import {FILE_METADATA, USER_PREFERENCES, shapeSpec} from '../schema/jsonb.js'
import {blockedQueries, blockedSessions, idleInTransaction, longTransactions, MIN_BLOCKED_S, sessionParams} from './activity.js'
import {BLOAT_ROW_LIMIT, MIN_BLOAT_BYTES, MIN_BLOAT_RATIO_BYTES, bloatBytes, bloatRatio} from './bloat.js'
import {connectionsCheck} from './connections.js'
import {backupAge, stanzaCheck} from './pgbackrest.js'
import {pgbouncerPoolUsage, pgbouncerWait, pgbouncerWaiting} from './pgbouncer.js'
import {queryRegressions} from './regressions.js'
import {REPLICATION_CHECKS} from './replication.js'
import type {CheckDef, Group} from './types.js'
import {deadTuples, xminHorizon} from './xmin.js'

/** Every check `health check` runs: its query, unit, and default thresholds (README and docs/health.md list them). */

const MIN_DEAD_TUPLES = 1000
const MIN_CHANGES = 1000
const MIN_CACHE_BLOCKS = 10_000
const MIN_CHECKPOINTS = 10
const DAY = 86_400
const GB = 1024 ** 3
const bloatParams = [MIN_BLOAT_BYTES, BLOAT_ROW_LIMIT]

export const CHECKS: CheckDef[] = [
  {name: 'connection', group: 'server', summary: 'can connect; value: seconds to connect (cannot connect: CRITICAL)', unit: 'seconds', direction: 'above', warn: 1, crit: 5},
  {name: 'connections', group: 'server', summary: 'connections used, % of max_connections minus the reserved slots (superuser_reserved_connections, reserved_connections); detail: the largest groups by user, application, client and state', unit: 'percent', direction: 'above', warn: 80, crit: 95,
    query: 'activity/connection-summary', reduce: connectionsCheck},
  {name: 'xid_wraparound', group: 'server', summary: 'oldest datfrozenxid age, % of the 2^31 limit', unit: 'percent', direction: 'above', warn: 50, crit: 75, query: 'health/xid-wraparound'},
  {name: 'mxid_wraparound', group: 'server', summary: 'oldest datminmxid (multixact) age, % of the 2^31 limit', unit: 'percent', direction: 'above', warn: 50, crit: 75, query: 'health/mxid-wraparound'},
  {name: 'freeze_age', group: 'server', summary: 'oldest datfrozenxid age, % of autovacuum_freeze_max_age (over 100%: anti-wraparound vacuums), with the tables next', unit: 'percent', direction: 'above', warn: 90, crit: 100, query: 'health/freeze-age', params: ['xid', 'autovacuum_freeze_max_age']},
  {name: 'mxid_freeze_age', group: 'server', summary: 'oldest datminmxid age, % of autovacuum_multixact_freeze_max_age, with the tables next', unit: 'percent', direction: 'above', warn: 90, crit: 100, query: 'health/freeze-age', params: ['multixact', 'autovacuum_multixact_freeze_max_age']},
  {name: 'prepared_transactions', group: 'server', summary: 'age of the oldest prepared transaction (holds locks and the xmin horizon)', unit: 'seconds', direction: 'above', warn: 60, crit: 600, query: 'health/prepared-transactions'},
  {name: 'archiver', group: 'server', summary: 'WAL segments waiting to be archived (.ready files); CRITICAL while archive_command fails, WARNING when nothing was archived for 2 x archive_timeout', unit: 'count', direction: 'above', warn: 10, crit: 100, query: 'health/archiver',
    escalate: (row) => (row.failing ? 'CRITICAL' : row.stale ? 'WARNING' : 'OK')},
  {name: 'wal_size', group: 'server', summary: 'size of pg_wal (defaults: 2 and 4 x (max_wal_size + wal_keep_size))', unit: 'bytes', direction: 'above', query: 'health/wal-size'},
  {name: 'checkpoints', group: 'server', summary: `requested checkpoints, % of all since the statistics reset (after ${MIN_CHECKPOINTS} checkpoints)`, unit: 'percent', direction: 'above', warn: 50, crit: 90, query: 'health/checkpoints', params: [MIN_CHECKPOINTS],
    none: `fewer than ${MIN_CHECKPOINTS} checkpoints since the statistics reset`},
  {name: 'checkpoint_age', group: 'server', summary: 'seconds since the last checkpoint began, on a primary that wrote more than a WAL segment since (defaults: 3 and 6 x checkpoint_timeout)', unit: 'seconds', direction: 'above', query: 'health/checkpoint-age'},
  {name: 'database_size', group: 'server', summary: 'size of the largest database (no default thresholds: set them for your disk)', unit: 'bytes', direction: 'above', query: 'health/database-size'},
  {name: 'database_growth', group: 'server', summary: 'growth of this database per day since the oldest `stats snapshot` of the last 7 days that is at least 1 hour old (no default thresholds)', unit: 'bytes', direction: 'above', query: 'health/database-growth', params: [7, '1 hour'], needs: 'snapshots',
    none: 'no `stats snapshot` between 1 hour and 7 days old yet (run it from cron, e.g. hourly)'},
  {name: 'long_transactions', group: 'activity', summary: 'oldest open transaction of another session, in any database (--db: that one)', unit: 'seconds', direction: 'above', warn: 300, crit: 3600, query: 'activity/sessions', params: sessionParams, reduce: longTransactions},
  {name: 'idle_in_transaction', group: 'activity', summary: 'longest idle-in-transaction session, in any database (--db: that one)', unit: 'seconds', direction: 'above', warn: 60, crit: 600, query: 'activity/sessions', params: sessionParams, reduce: idleInTransaction},
  {name: 'blocked_queries', group: 'activity', summary: 'longest lock wait of a session blocked by another or by a prepared transaction, in any database (--db: that one)', unit: 'seconds', direction: 'above', warn: 30, crit: 300, query: 'activity/blocking', reduce: blockedQueries},
  {name: 'blocked_sessions', group: 'activity', summary: `sessions waiting ${MIN_BLOCKED_S} s or more for a lock another session or a prepared transaction holds, in any database (--db: that one)`, unit: 'count', direction: 'above', warn: 1, crit: 5,
    query: 'activity/blocking', reduce: blockedSessions},
  {name: 'dead_tuples', group: 'maintenance', summary: `highest dead-tuple ratio of a table with >= ${MIN_DEAD_TUPLES} dead tuples; names what holds the xmin horizon back`, unit: 'percent', direction: 'above', warn: 20, crit: 50, query: 'health/dead-tuples', params: [MIN_DEAD_TUPLES],
    with: 'vacuum/blockers', reduce: (rows, _ctx, blockers) => deadTuples(rows, blockers), none: `no table with ${MIN_DEAD_TUPLES} or more dead tuples`},
  {name: 'xmin_horizon', group: 'maintenance', summary: 'age in transactions of the oldest xmin horizon holder: a session, replication slot, prepared transaction or standby (vacuum blockers), in any database (--db: that one)', unit: 'count', direction: 'above', warn: 100_000, crit: 1_000_000,
    query: 'vacuum/blockers', reduce: xminHorizon},
  {name: 'last_vacuum', group: 'maintenance', summary: `longest time without vacuum of a table with >= ${MIN_DEAD_TUPLES} dead tuples`, unit: 'seconds', direction: 'above', warn: 7 * DAY, crit: 30 * DAY, query: 'health/vacuum-age', params: [MIN_DEAD_TUPLES], none: `no table with ${MIN_DEAD_TUPLES} or more dead tuples`},
  {name: 'last_analyze', group: 'maintenance', summary: `longest time without analyze of a table with >= ${MIN_CHANGES} changed rows`, unit: 'seconds', direction: 'above', warn: 7 * DAY, crit: 30 * DAY, query: 'health/analyze-age', params: [MIN_CHANGES], none: `no table with ${MIN_CHANGES} or more rows changed since its last analyze`},
  {name: 'bloat', group: 'maintenance', summary: 'most bytes one table or index wastes (estimate from statistics, as vacuum bloat)', unit: 'bytes', direction: 'above', warn: GB, crit: 5 * GB, query: 'vacuum/bloat', params: bloatParams, reduce: bloatBytes},
  {name: 'bloat_ratio', group: 'maintenance', summary: `highest % of its size one table or index wastes, among those wasting >= ${MIN_BLOAT_RATIO_BYTES / 1024 / 1024} MB`, unit: 'percent', direction: 'above', warn: 50, crit: 80, query: 'vacuum/bloat', params: bloatParams, reduce: bloatRatio},
  {name: 'invalid_indexes', group: 'maintenance', summary: 'invalid indexes (failed CREATE INDEX CONCURRENTLY)', unit: 'count', direction: 'above', warn: 0, query: 'health/invalid-indexes'},
  {name: 'disabled_triggers', group: 'maintenance', summary: 'user triggers disabled (ALTER TABLE ... DISABLE TRIGGER)', unit: 'count', direction: 'above', warn: 0, query: 'health/disabled-triggers'},
  {name: 'sequences', group: 'maintenance', summary: 'sequence closest to its limit, % of its range used', unit: 'percent', direction: 'above', warn: 75, crit: 90, query: 'health/sequences', none: 'no sequences'},
  {name: 'cache_hit', group: 'server', summary: `buffer cache hit ratio of this database (after ${MIN_CACHE_BLOCKS} block accesses)`, unit: 'percent', direction: 'below', warn: 90, crit: 80, query: 'health/cache-hit', params: [MIN_CACHE_BLOCKS]},
  ...REPLICATION_CHECKS,
  {name: 'replication_slots', group: 'server', summary: 'most WAL one replication slot retains', unit: 'bytes', direction: 'above', warn: GB, crit: 10 * GB, query: 'health/replication-slots'},
  {name: 'autovacuum', group: 'maintenance', summary: 'autovacuum and track_counts on (CRITICAL if off); tables with autovacuum disabled (WARNING)', unit: 'count', query: 'health/autovacuum',
    judge: (row) => (row.server_off ? 'CRITICAL' : (row.value ?? 0) > 0 ? 'WARNING' : 'OK')},
  {name: 'pg_stat_statements', group: 'settings', summary: 'pg_stat_statements preloaded and created in this database', unit: 'count', query: 'health/pg-stat-statements',
    judge: (row) => (row.value === 0 ? 'OK' : 'WARNING')},
  {name: 'statement_timeout', group: 'settings', summary: 'statement_timeout set for new sessions (0 = no limit)', unit: 'ms', query: 'health/statement-timeout',
    judge: (row) => (row.value === 0 ? 'WARNING' : 'OK')},
  {name: 'query_regressions', group: 'queries', summary: 'statements at least 2x slower per call (50+ calls) from the snapshot nearest 1 hour ago to now than in the interval before (stats regressions)', unit: 'count', direction: 'above', warn: 0, needs: 'snapshots', run: queryRegressions},
  {name: 'pgbouncer_waiting', group: 'pgbouncer', summary: 'clients waiting for a server connection in PgBouncer (SHOW POOLS cl_waiting)', unit: 'count', direction: 'above', warn: 0, crit: 20, pgbouncer: pgbouncerWaiting},
  {name: 'pgbouncer_wait', group: 'pgbouncer', summary: 'longest wait of a PgBouncer client for a server connection (SHOW POOLS maxwait)', unit: 'seconds', direction: 'above', warn: 1, crit: 10, pgbouncer: pgbouncerWait},
  {name: 'pgbouncer_pool_usage', group: 'pgbouncer', summary: 'busiest PgBouncer pool: active server connections, % of its pool size', unit: 'percent', direction: 'above', warn: 80, crit: 95, pgbouncer: pgbouncerPoolUsage},
  {name: 'pgbackrest_backup_age', group: 'pgbackrest', summary: 'age of the newest pgBackRest backup of --stanza (pgbackrest info)', unit: 'seconds', direction: 'above', warn: 26 * 3600, crit: 50 * 3600, pgbackrest: backupAge,
    escalate: (row) => (row.value === null ? 'CRITICAL' : 'OK')},
  {name: 'pgbackrest_check', group: 'pgbackrest', summary: '`pgbackrest check` of --stanza passes (archiving reaches the repository); 1 = failed', unit: 'count', direction: 'above', crit: 0, pgbackrest: stanzaCheck},
  {name: 'app_suspended_org_tokens', group: 'app', summary: 'live refresh tokens of members of suspended organizations', unit: 'count', direction: 'above', warn: 0, query: 'health/app-suspended-org-tokens'},
  {name: 'app_stale_tokens', group: 'app', summary: 'expired or revoked refresh tokens not purged', unit: 'count', direction: 'above', warn: 10_000, crit: 1_000_000, query: 'health/app-stale-tokens'},
  {name: 'app_ownerless_orgs', group: 'app', summary: 'organizations with no owner among their members (nobody can administer them)', unit: 'count', direction: 'above', warn: 0, query: 'health/app-ownerless-orgs'},
  {name: 'app_inactive_members', group: 'app', summary: 'organization or team memberships of inactive users', unit: 'count', direction: 'above', warn: 0, query: 'health/app-inactive-members'},
  {name: 'app_multiple_latest_files', group: 'app', summary: 'file version chains with more than one is_latest file', unit: 'count', direction: 'above', warn: 0, query: 'health/app-multiple-latest-files'},
  {name: 'app_org_id_unindexed', group: 'app', summary: 'tables with organization_id but no index leading on it', unit: 'count', direction: 'above', warn: 0, query: 'health/app-org-id-unindexed'},
  {name: 'app_preferences_shape', group: 'app', summary: 'users whose preferences do not match the documented shape (fluxstudio-schema.md, Data Types)', unit: 'count', direction: 'above', warn: 0,
    query: 'health/app-jsonb-shape', params: [shapeSpec(USER_PREFERENCES), 'users']},
  {name: 'app_file_metadata_shape', group: 'app', summary: 'files whose metadata does not match the documented shape (dimensions, colorProfile, dpi, layers)', unit: 'count', direction: 'above', warn: 0,
    query: 'health/app-jsonb-shape', params: [shapeSpec(FILE_METADATA), 'files']},
  {name: 'app_unknown_timezones', group: 'app', summary: 'users whose timezone is not a known time zone (pg_timezone_names)', unit: 'count', direction: 'above', warn: 0, query: 'health/app-unknown-timezones'},
  {name: 'app_fk_unindexed', group: 'app', summary: 'foreign keys without a supporting index', unit: 'count', direction: 'above', warn: 0, query: 'health/app-fk-unindexed'},
]

export const GROUPS: Group[] = ['server', 'activity', 'maintenance', 'app', 'settings', 'queries', 'pgbouncer', 'pgbackrest', 'replication']

/** Groups that run only when asked for: `--include settings` (configuration advice), `--include query_regressions`, and `--pgbouncer URL`. */
export const OPT_IN_GROUPS: Group[] = ['settings', 'queries', 'pgbouncer', 'pgbackrest']
