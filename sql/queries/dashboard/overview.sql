-- Server-wide gauges and cumulative counters for the Overview pane (the dashboard turns counters into per-tick deltas).
-- returns: server_version text, started_at timestamptz, uptime_s bigint, max_connections int, connections int, connections_by_state json, xacts bigint, rows_read bigint, rows_written bigint, blks_hit bigint, blks_read bigint, deadlocks bigint, temp_bytes bigint, in_recovery boolean, replicas int, replication_lag_s numeric, oldest_xact_s numeric, sampled_at timestamptz
WITH conns AS (
  SELECT coalesce(state, 'unknown') AS state, count(*) AS n
  FROM pg_stat_activity
  WHERE backend_type = 'client backend'
  GROUP BY 1
), db AS (
  SELECT sum(xact_commit + xact_rollback)::bigint AS xacts,
         sum(tup_returned)::bigint AS rows_read,
         sum(tup_inserted + tup_updated + tup_deleted)::bigint AS rows_written,
         sum(blks_hit)::bigint AS blks_hit,
         sum(blks_read)::bigint AS blks_read,
         sum(deadlocks)::bigint AS deadlocks,
         sum(temp_bytes)::bigint AS temp_bytes
  FROM pg_stat_database
)
SELECT current_setting('server_version') AS server_version,
       pg_postmaster_start_time() AS started_at,
       extract(epoch FROM now() - pg_postmaster_start_time())::bigint AS uptime_s,
       current_setting('max_connections')::int AS max_connections,
       (SELECT coalesce(sum(n), 0)::int FROM conns) AS connections,
       (SELECT coalesce(json_object_agg(state, n ORDER BY state), '{}'::json) FROM conns) AS connections_by_state,
       db.xacts, db.rows_read, db.rows_written, db.blks_hit, db.blks_read, db.deadlocks, db.temp_bytes,
       pg_is_in_recovery() AS in_recovery,
       (SELECT count(*)::int FROM pg_stat_replication) AS replicas,
       round(extract(epoch FROM CASE
         WHEN pg_is_in_recovery() THEN now() - pg_last_xact_replay_timestamp()
         ELSE (SELECT max(replay_lag) FROM pg_stat_replication)
       END)::numeric, 3) AS replication_lag_s,
       (SELECT round(extract(epoch FROM max(now() - xact_start))::numeric, 3)
        FROM pg_stat_activity WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid()) AS oldest_xact_s,
       clock_timestamp() AS sampled_at
FROM db
