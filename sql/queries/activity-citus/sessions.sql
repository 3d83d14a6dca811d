-- Sessions of every node of the Citus cluster (citus_stat_activity) with the global pids that block each one (citus_lock_waits), longest first; the parts of a distributed statement that run on the workers, and this session, left out.
-- $1: min_duration interval (only sessions whose current state has lasted at least this long)
-- $2: include_idle boolean (true also lists plain idle sessions)
-- $3: database text or null (only sessions on this database)
-- $4: user text or null (only sessions of this role)
-- $5: application text or null (application_name contains this text, case-insensitive)
-- returns: pid bigint (the global pid), node text (host:port), local_pid int, database text, user text, application text, client text, client_port int, backend_type text, state text, wait_event_type text, wait_event text, backend_start timestamptz, xact_start timestamptz, query_start timestamptz, duration_s numeric, xact_age_s numeric, blocked_by bigint[], blocking bigint[], query text
-- requires: citus
WITH waits AS (
  SELECT DISTINCT w.waiting_gpid, w.blocking_gpid FROM citus_lock_waits w
), a AS (
  SELECT s.*,
         clock_timestamp() - CASE WHEN s.state = 'active' THEN s.query_start ELSE s.state_change END AS duration,
         clock_timestamp() - s.xact_start AS xact_age
  FROM citus_stat_activity s
  WHERE s.global_pid <> citus_backend_gpid() AND s.backend_type = 'client backend' AND NOT s.is_worker_query
)
SELECT a.global_pid AS pid,
       n.nodename || ':' || n.nodeport AS node,
       a.pid AS local_pid,
       a.datname::text AS database,
       a.usename::text AS user,
       a.application_name AS application,
       coalesce(host(a.client_addr), CASE WHEN a.client_port = -1 THEN 'local' END) AS client,
       nullif(a.client_port, -1) AS client_port,
       a.backend_type,
       a.state,
       a.wait_event_type,
       a.wait_event,
       a.backend_start,
       a.xact_start,
       a.query_start,
       round(extract(epoch FROM a.duration)::numeric, 3) AS duration_s,
       round(extract(epoch FROM a.xact_age)::numeric, 3) AS xact_age_s,
       coalesce((SELECT array_agg(w.blocking_gpid ORDER BY w.blocking_gpid) FROM waits w WHERE w.waiting_gpid = a.global_pid), '{}'::bigint[]) AS blocked_by,
       coalesce((SELECT array_agg(w.waiting_gpid ORDER BY w.waiting_gpid) FROM waits w WHERE w.blocking_gpid = a.global_pid), '{}'::bigint[]) AS blocking,
       a.query
FROM a
LEFT JOIN pg_dist_node n ON n.nodeid = a.nodeid
WHERE coalesce(a.duration, interval '0') >= $1::interval
  AND ($2::boolean OR a.state IS DISTINCT FROM 'idle')
  AND ($3::text IS NULL OR a.datname = $3::text)
  AND ($4::text IS NULL OR a.usename = $4::text)
  AND ($5::text IS NULL OR strpos(lower(a.application_name), lower($5::text)) > 0)
ORDER BY a.duration DESC NULLS LAST, a.global_pid
