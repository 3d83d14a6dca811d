-- This database's statements from pg_stat_statements that index advice looks at (not fluxadmin's own), most total time first, summed over roles and nesting levels.
-- $1: min_calls bigint
-- $2: min_total_ms float8
-- $3: queryid bigint or null (only this statement; the other filters then do not apply)
-- $4: limit int
-- $5: own_tag text (the comment fluxadmin's own statements start with)
-- $6: plannable text (a regular expression for the first words of statements EXPLAIN plans)
-- returns: queryid bigint, query text, calls bigint, total_ms float8, mean_ms float8
SELECT s.queryid, min(s.query) AS query, sum(s.calls)::bigint AS calls, sum(s.total_exec_time)::float8 AS total_ms,
       (sum(s.total_exec_time) / nullif(sum(s.calls), 0))::float8 AS mean_ms
FROM pg_stat_statements s
WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND s.queryid IS NOT NULL
  AND strpos(ltrim(s.query), $5::text) <> 1
  AND s.query ~* $6::text
  AND ($3::bigint IS NULL OR s.queryid = $3::bigint)
GROUP BY s.queryid
HAVING $3::bigint IS NOT NULL OR (sum(s.calls) >= $1::bigint AND sum(s.total_exec_time) >= $2::float8)
ORDER BY total_ms DESC, s.queryid
LIMIT $4::int
