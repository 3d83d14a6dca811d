-- Sessions from pg_stat_activity with every pid that blocks each one, longest first (this session left out).
-- $1: min_duration interval (only sessions whose current state has lasted at least this long)
-- $2: include_idle boolean (true also lists plain idle sessions)
-- $3: database text or null (only sessions on this database)
-- $4: user text or null (only sessions of this role)
-- $5: application text or null (application_name contains this text, case-insensitive)
-- returns: pid int, database text, user text, application text, client text, client_port int, backend_type text, state text, wait_event_type text, wait_event text, backend_start timestamptz, xact_start timestamptz, query_start timestamptz, duration_s numeric, xact_age_s numeric, blocked_by int[], blocking int[], query text
-- Durations are measured to clock_timestamp(), read row by row once pg_stat_activity's snapshot is taken: now() is when
-- this transaction began, and a query that started after it would get a negative duration and be lost.
WITH a AS (
  SELECT s.*,
         -- pg_blocking_pids takes the lock manager's locks: only ask for sessions that wait on a lock.
         CASE WHEN s.wait_event_type = 'Lock' THEN pg_blocking_pids(s.pid) ELSE '{}'::int[] END AS blockers,
         clock_timestamp() - CASE WHEN s.state = 'active' THEN s.query_start ELSE s.state_change END AS duration,
         clock_timestamp() - s.xact_start AS xact_age
  FROM pg_stat_activity s
  WHERE s.pid <> pg_backend_pid() AND s.backend_type = 'client backend'
)
SELECT a.pid,
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
       a.blockers AS blocked_by,
       coalesce((SELECT array_agg(b.pid ORDER BY b.pid) FROM a b WHERE a.pid = ANY (b.blockers)), '{}'::int[]) AS blocking,
       a.query
FROM a
WHERE coalesce(a.duration, interval '0') >= $1::interval
  AND ($2::boolean OR a.state IS DISTINCT FROM 'idle')
  AND ($3::text IS NULL OR a.datname = $3::text)
  AND ($4::text IS NULL OR a.usename = $4::text)
  AND ($5::text IS NULL OR strpos(lower(a.application_name), lower($5::text)) > 0)
ORDER BY a.duration DESC NULLS LAST, a.pid
