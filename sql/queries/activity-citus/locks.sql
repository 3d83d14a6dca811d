-- Every lock the sessions of every node of the Citus cluster hold or wait for (citus_locks), by global pid, waiting ones first (virtual xid locks and this session left out).
-- returns: pid bigint (the global pid), node text (host:port of the lock's node), locktype text, mode text, granted boolean, relation text, wait_s numeric, blocked_by bigint[], state text, database text, user text, application text, query text
-- requires: citus
WITH waits AS (
  SELECT DISTINCT w.waiting_gpid, w.blocking_gpid FROM citus_lock_waits w
), s AS (
  SELECT DISTINCT ON (a.global_pid) a.* FROM citus_stat_activity a ORDER BY a.global_pid, a.is_worker_query, a.nodeid
)
SELECT l.global_pid AS pid,
       n.nodename || ':' || n.nodeport AS node,
       l.locktype,
       l.mode,
       l.granted,
       l.relation_name::text AS relation,
       round(extract(epoch FROM clock_timestamp() - l.waitstart)::numeric, 3) AS wait_s,
       CASE WHEN l.granted THEN '{}'::bigint[]
            ELSE coalesce((SELECT array_agg(w.blocking_gpid ORDER BY w.blocking_gpid) FROM waits w WHERE w.waiting_gpid = l.global_pid), '{}'::bigint[]) END AS blocked_by,
       s.state,
       s.datname::text AS database,
       s.usename::text AS user,
       s.application_name AS application,
       s.query
FROM citus_locks l
LEFT JOIN pg_dist_node n ON n.nodeid = l.nodeid
LEFT JOIN s ON s.global_pid = l.global_pid
WHERE l.global_pid IS DISTINCT FROM citus_backend_gpid()
  AND NOT (l.locktype = 'virtualxid' AND l.granted)
  AND l.global_pid IS NOT NULL
ORDER BY l.granted, l.waitstart NULLS LAST, l.global_pid, n.nodeid, l.locktype, relation
