-- The largest replay lag of a connected standby, in seconds (how long its last replay confirmation took; 0 once caught up and idle).
-- returns: value numeric (seconds, NULL without standbys), detail text
WITH s AS (
  SELECT coalesce(nullif(r.application_name, ''), host(r.client_addr), 'pid ' || r.pid) AS name,
         round(extract(epoch FROM coalesce(r.write_lag, interval '0'))::numeric, 1) AS write_s,
         round(extract(epoch FROM coalesce(r.flush_lag, interval '0'))::numeric, 1) AS flush_s,
         round(extract(epoch FROM coalesce(r.replay_lag, interval '0'))::numeric, 1) AS replay_s
  FROM pg_stat_replication r
)
SELECT max(s.replay_s) AS value,
       CASE WHEN count(*) = 0 THEN 'no standbys connected'
            ELSE format('%s standby(s); most behind: %s', count(*),
                   (array_agg(format('%s (write %s s, flush %s s, replay %s s)', s.name, s.write_s, s.flush_s, s.replay_s) ORDER BY s.replay_s DESC, s.name))[1]) END AS detail
FROM s
