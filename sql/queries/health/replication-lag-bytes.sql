-- The largest replay lag of a connected standby in bytes of WAL this server has and the standby has not replayed.
-- returns: value numeric (bytes, NULL without standbys), detail text
WITH here AS (
  SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() ELSE pg_current_wal_lsn() END AS lsn
), s AS (
  SELECT coalesce(nullif(r.application_name, ''), host(r.client_addr), 'pid ' || r.pid) AS name,
         coalesce(pg_wal_lsn_diff(here.lsn, r.write_lsn), 0) AS write_bytes, coalesce(pg_wal_lsn_diff(here.lsn, r.flush_lsn), 0) AS flush_bytes,
         coalesce(pg_wal_lsn_diff(here.lsn, r.replay_lsn), 0) AS replay_bytes
  FROM pg_stat_replication r, here
)
SELECT greatest(max(s.replay_bytes), 0)::numeric AS value,
       CASE WHEN count(*) = 0 THEN 'no standbys connected'
            ELSE format('%s standby(s); most behind: %s', count(*),
                   (array_agg(format('%s (write %s, flush %s, replay %s behind)', s.name, pg_size_pretty(s.write_bytes), pg_size_pretty(s.flush_bytes), pg_size_pretty(s.replay_bytes))
                     ORDER BY s.replay_bytes DESC, s.name))[1]) END AS detail
FROM s
