-- Requested checkpoints (max_wal_size reached, or CHECKPOINT) as a percentage of all checkpoints since the statistics reset (pg_stat_bgwriter, before PostgreSQL 17); NULL with fewer than $1 checkpoints.
-- $1: min_checkpoints bigint (fewer give no meaningful ratio)
-- returns: value numeric (percent requested), detail text
SELECT CASE WHEN b.checkpoints_timed + b.checkpoints_req >= $1::bigint THEN round(100.0 * b.checkpoints_req / (b.checkpoints_timed + b.checkpoints_req), 1) END AS value,
       format('%s requested, %s timed since %s; last checkpoint %s ago; many requested checkpoints mean max_wal_size (%s) is too small for the write load',
              b.checkpoints_req, b.checkpoints_timed, date_trunc('second', b.stats_reset), date_trunc('second', now() - (pg_control_checkpoint()).checkpoint_time), current_setting('max_wal_size')) AS detail
FROM pg_stat_bgwriter b
