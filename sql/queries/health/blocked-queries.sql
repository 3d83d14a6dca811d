-- Sessions connected to this database that wait for a lock another session holds (pg_blocking_pids), and the longest wait in seconds.
-- returns: value numeric (seconds, NULL when nothing is blocked), detail text
WITH blocked AS (
  SELECT a.pid, pg_blocking_pids(a.pid) AS blockers, now() - coalesce(a.state_change, a.query_start) AS waited
  FROM pg_stat_activity a
  WHERE a.datname = current_database()
    AND a.pid <> pg_backend_pid()
    AND a.wait_event_type = 'Lock'
)
SELECT extract(epoch FROM max(waited))::numeric(12, 1) AS value,
       CASE WHEN count(*) = 0 THEN 'no blocked sessions'
            ELSE format('%s blocked session(s); longest: pid %s blocked by %s for %s', count(*),
                        (array_agg(pid ORDER BY waited DESC))[1], (array_agg(array_to_string(blockers, ',') ORDER BY waited DESC))[1],
                        date_trunc('second', max(waited))) END AS detail
FROM blocked
WHERE cardinality(blockers) > 0
