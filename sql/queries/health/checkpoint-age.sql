-- Seconds since the last completed checkpoint began (pg_control), on a primary that wrote more than one WAL segment since its record: a checkpointer that no longer completes checkpoints (stalled I/O, failing fsync) makes crash recovery ever longer and pg_wal grow. NULL on a standby (its restartpoints follow the primary's checkpoints) and on a primary that wrote less (PostgreSQL skips checkpoints when nothing was written, and one WAL switch after a checkpoint fills at most the rest of its segment). Default thresholds: 3 and 6 times checkpoint_timeout (a checkpoint spreads over up to checkpoint_completion_target of it, so the last completed one normally began less than 2 timeouts ago).
-- returns: value numeric (seconds), default_warn numeric (seconds), default_crit numeric (seconds), detail text
WITH c AS (
  SELECT checkpoint_time, checkpoint_lsn, redo_lsn,
         CASE WHEN NOT pg_is_in_recovery() THEN pg_wal_lsn_diff(pg_current_wal_insert_lsn(), checkpoint_lsn) END AS written,
         pg_size_bytes(current_setting('wal_segment_size')) AS segment,
         extract(epoch FROM current_setting('checkpoint_timeout')::interval) AS timeout_s
  FROM pg_control_checkpoint()
)
SELECT CASE WHEN c.written > c.segment THEN round(extract(epoch FROM now() - c.checkpoint_time)::numeric) END AS value,
       3 * c.timeout_s AS default_warn,
       6 * c.timeout_s AS default_crit,
       CASE WHEN c.written IS NULL THEN 'a standby: its restartpoints follow the primary''s checkpoints (see replay_lag)'
            WHEN c.written <= c.segment THEN format('%s of WAL written since the last checkpoint, %s ago: nothing for a checkpoint to do', pg_size_pretty(c.written), date_trunc('second', now() - c.checkpoint_time))
            ELSE format('last checkpoint began %s ago (redo %s), %s of WAL written since, checkpoint_timeout %s; a checkpoint this old under writes means the checkpointer is not completing them: see the server log',
                        date_trunc('second', now() - c.checkpoint_time), c.redo_lsn, pg_size_pretty(c.written), current_setting('checkpoint_timeout'))
       END AS detail
FROM c
