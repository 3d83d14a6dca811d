-- Every lock other sessions hold or wait for, waiting ones first (each transaction's lock on its own virtual xid left out).
-- returns: pid int, locktype text, mode text, granted boolean, relation text, wait_s numeric, blocked_by int[], state text, database text, user text, application text, query text
SELECT l.pid,
       l.locktype,
       l.mode,
       l.granted,
       CASE
         WHEN l.relation IS NULL THEN NULL
         WHEN l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) THEN l.relation::regclass::text
         ELSE l.relation::text
       END AS relation,
       round(extract(epoch FROM clock_timestamp() - l.waitstart)::numeric, 3) AS wait_s,
       CASE WHEN l.granted THEN '{}'::int[] ELSE pg_blocking_pids(l.pid) END AS blocked_by,
       a.state,
       a.datname::text AS database,
       a.usename::text AS user,
       a.application_name AS application,
       a.query
FROM pg_locks l
LEFT JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.pid IS DISTINCT FROM pg_backend_pid()
  AND NOT (l.locktype = 'virtualxid' AND l.granted)
ORDER BY l.granted, l.waitstart NULLS LAST, l.pid, l.locktype, relation
