-- The oldest open transaction of any other session connected to this database, in seconds.
-- returns: value numeric (seconds, NULL when there is none), detail text
SELECT extract(epoch FROM max(now() - a.xact_start))::numeric(12, 1) AS value,
       CASE WHEN count(*) = 0 THEN 'no open transactions'
            ELSE format('%s open transaction(s); oldest: pid %s (%s) for %s', count(*),
                        (array_agg(a.pid ORDER BY a.xact_start))[1], (array_agg(coalesce(a.usename, '?') ORDER BY a.xact_start))[1],
                        date_trunc('second', max(now() - a.xact_start))) END AS detail
FROM pg_stat_activity a
WHERE a.datname = current_database()
  AND a.pid <> pg_backend_pid()
  AND a.backend_type = 'client backend'
  AND a.xact_start IS NOT NULL
