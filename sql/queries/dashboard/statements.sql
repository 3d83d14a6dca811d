-- Cumulative pg_stat_statements counters (no query text, which is costly to read) for per-tick deltas.
-- pg_stat_statements 1.8 has no toplevel column: every entry is top-level.
-- returns: key text, queryid bigint, database text, calls bigint, total_exec_ms double precision, rows bigint
SELECT s.dbid || ':' || s.userid || ':' || s.queryid || ':true' AS key,
       s.queryid,
       d.datname::text AS database,
       s.calls,
       s.total_exec_time AS total_exec_ms,
       s.rows
FROM pg_stat_statements(false) s
LEFT JOIN pg_database d ON d.oid = s.dbid
