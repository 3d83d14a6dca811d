-- Every standby streaming from this server: state, sync state, and write / flush / replay lag in bytes and seconds.
-- returns: value numeric (standbys not in state streaming, NULL without standbys), sync_missing boolean (synchronous_standby_names set but no sync standby), detail text
WITH here AS (
  SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() ELSE pg_current_wal_lsn() END AS lsn
), s AS (
  SELECT coalesce(nullif(r.application_name, ''), host(r.client_addr), 'pid ' || r.pid) AS name, r.state, r.sync_state,
         pg_wal_lsn_diff(here.lsn, r.write_lsn) AS write_bytes, pg_wal_lsn_diff(here.lsn, r.flush_lsn) AS flush_bytes, pg_wal_lsn_diff(here.lsn, r.replay_lsn) AS replay_bytes,
         round(extract(epoch FROM coalesce(r.write_lag, interval '0'))::numeric, 1) AS write_s,
         round(extract(epoch FROM coalesce(r.flush_lag, interval '0'))::numeric, 1) AS flush_s,
         round(extract(epoch FROM coalesce(r.replay_lag, interval '0'))::numeric, 1) AS replay_s
  FROM pg_stat_replication r, here
)
SELECT CASE WHEN count(*) > 0 THEN count(*) FILTER (WHERE s.state IS DISTINCT FROM 'streaming')::numeric END AS value,
       current_setting('synchronous_standby_names') <> '' AND count(*) FILTER (WHERE s.sync_state IN ('sync', 'quorum')) = 0 AS sync_missing,
       CASE WHEN count(*) = 0 THEN 'no standbys connected'
            ELSE string_agg(format('%s: %s %s, behind write %s / flush %s / replay %s bytes, %s / %s / %s s', s.name, s.state, s.sync_state,
                   s.write_bytes, s.flush_bytes, s.replay_bytes, s.write_s, s.flush_s, s.replay_s), '; ' ORDER BY s.name) END AS detail
FROM s
