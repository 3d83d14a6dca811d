-- How often each table was read through an index rather than a sequential scan, largest tables first (pg-extras index_usage).
-- returns: schema_name text, table_name text, index_scan_pct float8 (null: never scanned), idx_scan bigint, seq_scan bigint, estimated_rows bigint
SELECT schemaname::text AS schema_name, relname::text AS table_name,
       100 * coalesce(idx_scan, 0)::float8 / nullif(coalesce(idx_scan, 0) + seq_scan, 0) AS index_scan_pct,
       coalesce(idx_scan, 0) AS idx_scan, seq_scan, n_live_tup AS estimated_rows
FROM pg_stat_user_tables
ORDER BY n_live_tup DESC, schemaname, relname
