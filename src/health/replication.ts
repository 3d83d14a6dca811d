import type {CheckDef} from './types.js'

const MB = 1024 * 1024

/**
 * Replication checks. On a primary: its standbys (state, sync state, lag in seconds and bytes) and
 * slots whose standby is gone. On a standby: replay lag, paused replay, the WAL receiver and
 * recovery conflicts. A check for the other role reports "not a standby" / "no standbys" as OK.
 */
export const REPLICATION_CHECKS: CheckDef[] = [
  {
    name: 'standbys',
    group: 'replication',
    summary:
      'standbys not streaming (WARNING); synchronous_standby_names set but no sync standby (CRITICAL); detail: every standby with state, sync state, lag',
    unit: 'count',
    query: 'health/standbys',
    judge: (row) => (row.sync_missing ? 'CRITICAL' : (row.value ?? 0) > 0 ? 'WARNING' : 'OK'),
    none: 'no standbys connected',
  },
  {
    name: 'replication_lag',
    group: 'replication',
    summary: 'largest replay lag of a connected standby',
    unit: 'seconds',
    direction: 'above',
    warn: 60,
    crit: 300,
    query: 'health/replication-lag',
  },
  {
    name: 'replication_lag_bytes',
    group: 'replication',
    summary: 'largest WAL a connected standby has not replayed',
    unit: 'bytes',
    direction: 'above',
    warn: 16 * MB,
    crit: 1024 * MB,
    query: 'health/replication-lag-bytes',
  },
  {
    name: 'standby_gone',
    group: 'replication',
    summary: 'physical replication slots with no standby streaming from them (a standby that disappeared)',
    unit: 'count',
    direction: 'above',
    warn: 0,
    query: 'health/standby-gone',
  },
  {
    name: 'replay_lag',
    group: 'replication',
    summary: 'on a standby: seconds since the last replayed commit, 0 when it has replayed all it received',
    unit: 'seconds',
    direction: 'above',
    warn: 60,
    crit: 300,
    query: 'replica/replay-lag',
  },
  {
    name: 'replay_paused',
    group: 'replication',
    summary: 'on a standby: WAL replay paused (WARNING: it falls behind silently)',
    unit: 'count',
    query: 'health/replay-paused',
    judge: (row) => (row.value === 1 ? 'WARNING' : 'OK'),
  },
  {
    name: 'wal_receiver',
    group: 'replication',
    summary: 'on a standby: the WAL receiver streams (CRITICAL if not); value: seconds since its last message',
    unit: 'seconds',
    query: 'health/wal-receiver',
    judge: (row) =>
      !row.in_recovery || row.status === 'streaming' ? 'OK' : row.status === 'hidden' ? 'UNKNOWN' : 'CRITICAL',
  },
  {
    name: 'recovery_conflicts',
    group: 'replication',
    summary: 'on a standby: queries of this database cancelled by recovery conflicts since the last statistics reset',
    unit: 'count',
    direction: 'above',
    warn: 0,
    query: 'health/recovery-conflicts',
  },
]
