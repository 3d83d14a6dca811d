-- Client sessions named by pid or matching the filters, each with why it is left alone and how many sessions it blocks; with act, the one statement that cancels or terminates all the others.
-- $1: pids int[] or null (named sessions; a named superuser's session is not left alone for being one; this session and other process types only appear when named)
-- $2: users text[] or null (role names, exact)
-- $3: states text[] or null (pg_stat_activity states)
-- $4: min_state_age interval or null (the current state has lasted at least this long)
-- $5: applications text[] or null (application_name, exact)
-- $6: signal text: cancel or terminate
-- $7: act boolean (true: signal every row left without a skip reason; otherwise nothing is sent)
-- $8: previewed_pids int[] or null (with act: only these sessions, as previewed...)
-- $9: previewed_starts timestamptz[] or null (... with these backend_start, so that a pid reused since is left alone)
-- returns: pid int, backend_start timestamptz, backend_type text, is_self boolean, database text, user text, application text, client text, state text, state_s numeric, superuser boolean, blocking int (sessions waiting on its locks), blocking_total int (through the whole lock tree), query text, skip text (why it is left alone, or null), signalled boolean (null: not sent)
WITH RECURSIVE edges AS (
  -- pg_blocking_pids takes the lock manager's locks: only ask for sessions that wait on a lock.
  SELECT w.pid AS blocked, unnest(pg_blocking_pids(w.pid)) AS blocker
  FROM pg_stat_activity w
  WHERE w.wait_event_type = 'Lock'
), matched AS (
  SELECT s.pid, s.backend_start, s.backend_type, s.pid = pg_backend_pid() AS is_self,
         s.datname::text AS database, s.usename::text AS "user", s.application_name AS application,
         coalesce(host(s.client_addr), CASE WHEN s.client_port = -1 THEN 'local' END) AS client,
         s.state, round(extract(epoch FROM clock_timestamp() - s.state_change)::numeric, 3) AS state_s,
         coalesce(r.rolsuper, false) AS superuser, s.usesysid, s.query,
         coalesce(s.pid = ANY ($1::int[]), false) AS named
  FROM pg_stat_activity s
  LEFT JOIN pg_roles r ON r.oid = s.usesysid
  WHERE (s.pid = ANY ($1::int[]) OR ($1::int[] IS NULL AND s.backend_type = 'client backend' AND s.pid <> pg_backend_pid()))
    AND ($2::text[] IS NULL OR s.usename = ANY ($2::text[]))
    AND ($3::text[] IS NULL OR s.state = ANY ($3::text[]))
    AND ($4::interval IS NULL OR clock_timestamp() - s.state_change >= $4::interval)
    AND ($5::text[] IS NULL OR s.application_name = ANY ($5::text[]))
    -- Within a millisecond: the preview's backend_start came back through a JavaScript Date.
    AND ($8::int[] IS NULL OR EXISTS (SELECT 1 FROM unnest($8::int[], $9::timestamptz[]) AS v (p, b)
                                      WHERE v.p = s.pid AND abs(extract(epoch FROM s.backend_start - v.b)) < 0.001))
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
           -- Without pg_read_all_stats (or the session's role's privileges) pg_stat_activity hides all but the pid and role.
           WHEN m.backend_type IS NULL THEN format('not visible: %s has the privileges of neither %I nor pg_read_all_stats', current_user, m."user")
           WHEN m.backend_type <> 'client backend' THEN format('not a client backend (%s)', m.backend_type)
           WHEN m.superuser AND NOT m.named THEN 'a superuser''s session: name it by pid'
           WHEN NOT (pg_has_role(current_user, m.usesysid, 'USAGE')
                     OR (NOT m.superuser AND pg_has_role(current_user, 'pg_signal_backend', 'USAGE')))
             THEN format('not permitted: %s has the privileges of neither %I nor pg_signal_backend', current_user, m."user")
         END AS skip
  FROM matched m
)
SELECT j.pid, j.backend_start, j.backend_type, j.is_self, j.database, j."user", j.application, j.client, j.state, j.state_s,
       j.superuser, j.blocking, j.blocking_total, j.query, j.skip,
       CASE WHEN $7::boolean AND j.skip IS NULL THEN
         CASE $6::text WHEN 'terminate' THEN pg_terminate_backend(j.pid) WHEN 'cancel' THEN pg_cancel_backend(j.pid) END
       END AS signalled
FROM judged j
ORDER BY j.skip IS NOT NULL, j.state_s DESC NULLS LAST, j.pid
