-- The largest replay lag of any connected standby, in seconds.
-- returns: value numeric (seconds, NULL without standbys), detail text
SELECT extract(epoch FROM max(coalesce(r.replay_lag, interval '0')))::numeric(12, 1) AS value,
       CASE WHEN count(*) = 0 THEN 'no standbys connected'
            ELSE format('%s standby(s); most behind: %s (%s bytes of WAL not replayed)', count(*),
                        (array_agg(coalesce(r.application_name, r.client_addr::text) ORDER BY r.replay_lag DESC NULLS LAST))[1],
                        max(pg_wal_lsn_diff(pg_current_wal_lsn(), r.replay_lsn))) END AS detail
FROM pg_stat_replication r
WHERE NOT pg_is_in_recovery()
