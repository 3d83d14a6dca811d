-- Indexes scanned fewer than a threshold since statistics were reset, largest first, with the statement that drops them; unique and constraint-backing indexes are left out.
-- $1: max_scans bigint (indexes with fewer scans are listed)
-- returns: schema_name text, table_name text, index_name text, index_bytes bigint, index_scans bigint, drop_statement text, last_scan timestamptz (always null: PostgreSQL 16 added last_idx_scan)
SELECT s.schemaname::text AS schema_name, s.relname::text AS table_name, s.indexrelname::text AS index_name,
       pg_relation_size(s.indexrelid) AS index_bytes, s.idx_scan AS index_scans,
       NULL::timestamptz AS last_scan,
       format('DROP INDEX CONCURRENTLY %I.%I;', s.schemaname, s.indexrelname) AS drop_statement
FROM pg_stat_user_indexes s
JOIN pg_index i ON i.indexrelid = s.indexrelid
WHERE NOT i.indisunique AND s.idx_scan < $1::bigint
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
ORDER BY index_bytes DESC, s.schemaname, s.relname, s.indexrelname
