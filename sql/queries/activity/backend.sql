-- One server process by pid, and whether it is the caller's own session.
-- $1: pid int
-- returns: pid int, is_self boolean, backend_type text, database text, user text, application text, client text, state text, query text
SELECT a.pid,
       a.pid = pg_backend_pid() AS is_self,
       a.backend_type,
       a.datname::text AS database,
       a.usename::text AS user,
       a.application_name AS application,
       coalesce(host(a.client_addr), CASE WHEN a.client_port = -1 THEN 'local' END) AS client,
       a.state,
       a.query
FROM pg_stat_activity a
WHERE a.pid = $1::int
