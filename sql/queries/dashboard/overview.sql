-- Server-wide gauges and cumulative counters for the Overview pane (the dashboard turns counters into per-tick deltas).
-- Counters are per database (keyed by datid): a database dropped or reset between ticks must not turn the server-wide sum backwards.
-- returns: server_version text, started_at timestamptz, uptime_s bigint, max_connections int, connections int, connections_by_state json,
--   databases json ({datid: [xacts, rows_read, rows_written, blks_hit, blks_read, deadlocks, temp_bytes, inserts, updates, deletes, temp_files, size_bytes]}), in_recovery boolean, replicas int, replication_lag_s numeric,
--   standbys json ([{name, state, sync_state, replay_lag_s, replay_bytes}]), oldest_xact_s numeric,
--   waiting int, workers int, max_workers int, autovacuum_workers int, max_autovacuum_workers int, wal_senders int, max_wal_senders int, wal_receivers int,
--   replication_slots int, max_replication_slots int, backend_pid int, sampled_at timestamptz
WITH conns AS (
  SELECT coalesce(state, 'unknown') AS state, count(*) AS n
  FROM pg_stat_activity
  WHERE backend_type = 'client backend'
  GROUP BY 1
), db AS (
  SELECT coalesce(json_object_agg(datid, json_build_array(
           xact_commit + xact_rollback, tup_returned, tup_inserted + tup_updated + tup_deleted,
           blks_hit, blks_read, deadlocks, temp_bytes, tup_inserted, tup_updated, tup_deleted, temp_files,
           -- Sizes only of databases this role may connect to (pg_database_size refuses the others).
           (SELECT CASE WHEN has_database_privilege(p.oid, 'CONNECT') THEN pg_database_size(p.oid) END FROM pg_database p WHERE p.oid = s.datid))), '{}'::json) AS databases
  FROM pg_stat_database s
), procs AS (
  SELECT count(*) FILTER (WHERE backend_type = 'client backend' AND wait_event_type = 'Lock')::int AS waiting,
         count(*) FILTER (WHERE backend_type IN ('background worker', 'parallel worker', 'logical replication worker'))::int AS workers,
         count(*) FILTER (WHERE backend_type = 'autovacuum worker')::int AS autovacuum_workers,
         count(*) FILTER (WHERE backend_type = 'walsender')::int AS wal_senders
  FROM pg_stat_activity
)
SELECT current_setting('server_version') AS server_version,
       pg_postmaster_start_time() AS started_at,
       extract(epoch FROM now() - pg_postmaster_start_time())::bigint AS uptime_s,
       current_setting('max_connections')::int AS max_connections,
       (SELECT coalesce(sum(n), 0)::int FROM conns) AS connections,
       (SELECT coalesce(json_object_agg(state, n ORDER BY state), '{}'::json) FROM conns) AS connections_by_state,
       db.databases,
       pg_is_in_recovery() AS in_recovery,
       (SELECT count(*)::int FROM pg_stat_replication) AS replicas,
       -- On a standby, 0 once it has replayed all it received and streams (an idle primary sends nothing newer).
       round(extract(epoch FROM CASE
         WHEN pg_is_in_recovery() AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
           AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') THEN interval '0'
         WHEN pg_is_in_recovery() THEN now() - pg_last_xact_replay_timestamp()
         ELSE (SELECT max(replay_lag) FROM pg_stat_replication)
       END)::numeric, 3) AS replication_lag_s,
       (SELECT coalesce(json_agg(json_build_object(
                 'name', coalesce(nullif(r.application_name, ''), host(r.client_addr), 'pid ' || r.pid), 'state', r.state, 'sync_state', r.sync_state,
                 'replay_lag_s', round(extract(epoch FROM coalesce(r.replay_lag, interval '0'))::numeric, 3),
                 'replay_bytes', pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() ELSE pg_current_wal_lsn() END, r.replay_lsn))
               ORDER BY r.application_name), '[]'::json)
        FROM pg_stat_replication r) AS standbys,
       (SELECT round(extract(epoch FROM max(now() - xact_start))::numeric, 3)
        FROM pg_stat_activity WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid()) AS oldest_xact_s,
       procs.waiting,
       procs.workers,
       current_setting('max_worker_processes')::int AS max_workers,
       procs.autovacuum_workers,
       current_setting('autovacuum_max_workers')::int AS max_autovacuum_workers,
       procs.wal_senders,
       current_setting('max_wal_senders')::int AS max_wal_senders,
       (SELECT count(*)::int FROM pg_stat_wal_receiver) AS wal_receivers,
       (SELECT count(*)::int FROM pg_replication_slots) AS replication_slots,
       current_setting('max_replication_slots')::int AS max_replication_slots,
       pg_backend_pid() AS backend_pid,
       clock_timestamp() AS sampled_at
FROM db, procs
