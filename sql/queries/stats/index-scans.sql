-- How often each index of this database was scanned since the statistics reset (on a standby: its own scans).
-- returns: schema_name text, index_name text, index_scans bigint
SELECT s.schemaname::text AS schema_name, s.indexrelname::text AS index_name, s.idx_scan AS index_scans
FROM pg_stat_user_indexes s
