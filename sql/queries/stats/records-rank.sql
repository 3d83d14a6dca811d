-- Tables by estimated live rows (pg_stat_user_tables.n_live_tup), most first (pg-extras records_rank).
-- returns: schema_name text, table_name text, estimated_rows bigint
SELECT schemaname::text AS schema_name, relname::text AS table_name, n_live_tup AS estimated_rows
FROM pg_stat_user_tables
ORDER BY n_live_tup DESC, schemaname, relname
