-- Sessions connected to this database that sit idle inside a transaction, and the longest such wait in seconds.
-- returns: value numeric (seconds, NULL when there is none), detail text
SELECT extract(epoch FROM max(now() - a.state_change))::numeric(12, 1) AS value,
       CASE WHEN count(*) = 0 THEN 'no idle-in-transaction sessions'
            ELSE format('%s idle-in-transaction session(s); longest: pid %s (%s) idle for %s', count(*),
                        (array_agg(a.pid ORDER BY a.state_change))[1], (array_agg(coalesce(a.usename, '?') ORDER BY a.state_change))[1],
                        date_trunc('second', max(now() - a.state_change))) END AS detail
FROM pg_stat_activity a
WHERE a.datname = current_database()
  AND a.pid <> pg_backend_pid()
  AND a.state IN ('idle in transaction', 'idle in transaction (aborted)')
