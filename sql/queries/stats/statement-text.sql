-- The normalized text of one statement: the current database's first (pg_stat_statements 1.8: no nested entries).
-- $1: queryid bigint
-- returns: queryid bigint, query text, db_name text, in_current_db boolean
SELECT s.queryid, s.query, d.datname::text AS db_name, d.datname = current_database() AS in_current_db
FROM pg_stat_statements s
LEFT JOIN pg_database d ON d.oid = s.dbid
WHERE s.queryid = $1::bigint
ORDER BY (d.datname = current_database()) DESC NULLS LAST, s.calls DESC
LIMIT 1
