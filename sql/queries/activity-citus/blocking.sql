-- Sessions of every node of the Citus cluster that wait for a lock or hold one others wait for, by global pid, with the global pids that block them (citus_lock_waits; distributed waits included); this session left out.
-- returns: pid bigint (the global pid), node text (host:port of the session's node), blocked_by bigint[], waiting_mode text, held_modes text, locktype text, relation text, wait_s numeric, xact_age_s numeric, state text, database text, user text, application text, query text, prepared_gid text, client text
-- requires: citus
WITH waits AS (
  SELECT DISTINCT w.waiting_gpid, w.blocking_gpid FROM citus_lock_waits w
  WHERE w.waiting_gpid <> citus_backend_gpid() AND w.blocking_gpid <> citus_backend_gpid()
), involved AS (
  SELECT waiting_gpid AS gpid FROM waits UNION SELECT blocking_gpid FROM waits
), s AS (
  -- The session itself, on its own node, rather than the parts of its statements on the workers.
  SELECT DISTINCT ON (a.global_pid) a.*
  FROM citus_stat_activity a
  WHERE a.global_pid IN (SELECT gpid FROM involved)
  ORDER BY a.global_pid, a.is_worker_query, a.nodeid
), locks AS (
  SELECT l.* FROM citus_locks l WHERE l.global_pid IN (SELECT gpid FROM involved)
), waiting AS (
  SELECT DISTINCT ON (l.global_pid) l.* FROM locks l WHERE NOT l.granted ORDER BY l.global_pid, l.waitstart
)
SELECT i.gpid AS pid,
       n.nodename || ':' || n.nodeport AS node,
       coalesce((SELECT array_agg(w.blocking_gpid ORDER BY w.blocking_gpid) FROM waits w WHERE w.waiting_gpid = i.gpid), '{}'::bigint[]) AS blocked_by,
       wt.mode AS waiting_mode,
       (SELECT string_agg(DISTINCT g.mode, ', ') FROM locks g
        JOIN waiting o ON o.global_pid IN (SELECT w.waiting_gpid FROM waits w WHERE w.blocking_gpid = i.gpid)
         AND g.nodeid = o.nodeid AND g.locktype = o.locktype AND g.relation IS NOT DISTINCT FROM o.relation
         AND g.transactionid IS NOT DISTINCT FROM o.transactionid
        WHERE g.global_pid = i.gpid AND g.granted) AS held_modes,
       wt.locktype,
       wt.relation_name::text AS relation,
       round(extract(epoch FROM clock_timestamp() - wt.waitstart)::numeric, 3) AS wait_s,
       round(extract(epoch FROM clock_timestamp() - s.xact_start)::numeric, 3) AS xact_age_s,
       s.state,
       s.datname::text AS database,
       s.usename::text AS user,
       s.application_name AS application,
       s.query,
       NULL::text AS prepared_gid,
       coalesce(host(s.client_addr) || ':' || s.client_port, 'local') AS client
FROM involved i
LEFT JOIN s ON s.global_pid = i.gpid
LEFT JOIN pg_dist_node n ON n.nodeid = s.nodeid
LEFT JOIN waiting wt ON wt.global_pid = i.gpid
ORDER BY 1
