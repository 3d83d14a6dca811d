-- Client sessions of every node of the Citus cluster named by global pid or matching the filters (citus_stat_activity), each with why it is left alone and how many sessions it blocks (citus_lock_waits); with act, the one statement that cancels or terminates all the others through Citus' global-pid pg_cancel_backend / pg_terminate_backend.
-- $1: pids bigint[] or null (global pids, as activity shows them on a coordinator; a named superuser's session is not left alone for being one)
-- $2: users text[] or null (role names, exact)
-- $3: states text[] or null (pg_stat_activity states)
-- $4: min_state_age interval or null (the current state has lasted at least this long)
-- $5: applications text[] or null (application_name, exact)
-- $6: signal text: cancel or terminate
-- $7: act boolean (true: signal every row left without a skip reason; otherwise nothing is sent)
-- $8: previewed_pids bigint[] or null (with act: only these sessions, as previewed...)
-- $9: previewed_starts timestamptz[] or null (... with these backend_start, so that a pid reused since is left alone)
-- returns: pid bigint (the global pid), node text (host:port), backend_start timestamptz, backend_type text, is_self boolean, database text, user text, application text, client text, state text, state_s numeric, superuser boolean, blocking int, blocking_total int, query text, skip text, signalled boolean
-- requires: citus
WITH RECURSIVE edges AS (
  SELECT DISTINCT w.waiting_gpid AS blocked, w.blocking_gpid AS blocker FROM citus_lock_waits w
), sessions AS (
  -- The session itself on its own node, not the parts of its statements that run on the workers.
  SELECT a.* FROM citus_stat_activity a WHERE NOT a.is_worker_query
), matched AS (
  SELECT s.global_pid AS pid, n.nodename || ':' || n.nodeport AS node, s.backend_start, s.backend_type,
         s.global_pid = citus_backend_gpid() AS is_self,
         s.datname::text AS database, s.usename::text AS "user", s.application_name AS application,
         coalesce(host(s.client_addr), CASE WHEN s.client_port = -1 THEN 'local' END) AS client,
         s.state, round(extract(epoch FROM clock_timestamp() - s.state_change)::numeric, 3) AS state_s,
         coalesce(r.rolsuper, false) AS superuser, r.oid AS usesysid, s.query,
         coalesce(s.global_pid = ANY ($1::bigint[]), false) AS named
  FROM sessions s
  LEFT JOIN pg_dist_node n ON n.nodeid = s.nodeid
  -- Roles are the same on every node (Citus propagates them): judged by name, as the coordinator knows them.
  LEFT JOIN pg_roles r ON r.rolname = s.usename
  WHERE (s.global_pid = ANY ($1::bigint[]) OR ($1::bigint[] IS NULL AND s.backend_type = 'client backend' AND s.global_pid <> citus_backend_gpid()))
    AND ($2::text[] IS NULL OR s.usename = ANY ($2::text[]))
    AND ($3::text[] IS NULL OR s.state = ANY ($3::text[]))
    AND ($4::interval IS NULL OR clock_timestamp() - s.state_change >= $4::interval)
    AND ($5::text[] IS NULL OR s.application_name = ANY ($5::text[]))
    AND ($8::bigint[] IS NULL OR EXISTS (SELECT 1 FROM unnest($8::bigint[], $9::timestamptz[]) AS v (p, b)
                                         WHERE v.p = s.global_pid AND abs(extract(epoch FROM s.backend_start - v.b)) < 0.001))
), tree AS (
  SELECT m.pid AS root, e.blocked FROM matched m JOIN edges e ON e.blocker = m.pid
  UNION
  SELECT t.root, e.blocked FROM tree t JOIN edges e ON e.blocker = t.blocked
), judged AS (
  SELECT m.*,
         (SELECT count(DISTINCT e.blocked)::int FROM edges e WHERE e.blocker = m.pid) AS blocking,
         (SELECT count(DISTINCT t.blocked)::int FROM tree t WHERE t.root = m.pid AND t.blocked <> m.pid) AS blocking_total,
         CASE
           WHEN m.is_self THEN 'this fluxadmin session'
           WHEN m.backend_type IS NULL THEN format('not visible: %s has the privileges of neither %I nor pg_read_all_stats', current_user, m."user")
           WHEN m.backend_type <> 'client backend' THEN format('not a client backend (%s)', m.backend_type)
           WHEN m.superuser AND NOT m.named THEN 'a superuser''s session: name it by pid'
           WHEN m.usesysid IS NULL OR NOT (pg_has_role(current_user, m.usesysid, 'USAGE')
                     OR (NOT m.superuser AND pg_has_role(current_user, 'pg_signal_backend', 'USAGE')))
             THEN format('not permitted: %s has the privileges of neither %I nor pg_signal_backend', current_user, m."user")
         END AS skip
  FROM matched m
)
SELECT j.pid, j.node, j.backend_start, j.backend_type, j.is_self, j.database, j."user", j.application, j.client, j.state, j.state_s,
       j.superuser, j.blocking, j.blocking_total, j.query, j.skip,
       CASE WHEN $7::boolean AND j.skip IS NULL THEN
         CASE $6::text WHEN 'terminate' THEN pg_terminate_backend(j.pid::bigint) WHEN 'cancel' THEN pg_cancel_backend(j.pid::bigint) END
       END AS signalled
FROM judged j
ORDER BY j.skip IS NOT NULL, j.state_s DESC NULLS LAST, j.pid
