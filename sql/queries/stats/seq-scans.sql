-- Tables by number of sequential scans, with the rows those scans read (pg-extras seq_scans).
-- returns: schema_name text, table_name text, seq_scan bigint, seq_tup_read bigint, estimated_rows bigint
SELECT schemaname::text AS schema_name, relname::text AS table_name, seq_scan, seq_tup_read, n_live_tup AS estimated_rows
FROM pg_stat_user_tables
ORDER BY seq_scan DESC, seq_tup_read DESC, schemaname, relname
