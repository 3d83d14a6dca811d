-- The statements counters stored in one snapshot.
-- $1: snapshot_id bigint
-- returns: queryid bigint, userid oid, dbid oid, toplevel boolean, user_name text, db_name text, calls bigint, total_ms float8, mean_ms float8, stddev_ms float8, rows bigint, shared_blks_hit bigint, shared_blks_read bigint, shared_blks_written bigint, temp_blks_read bigint, temp_blks_written bigint, blk_read_ms float8 (null: taken before migration 050), blk_write_ms float8, query text
SELECT queryid, userid, dbid, toplevel, user_name, db_name, calls, total_ms, mean_ms, stddev_ms, rows,
       shared_blks_hit, shared_blks_read, shared_blks_written, temp_blks_read, temp_blks_written, blk_read_ms, blk_write_ms, query
FROM fluxadmin.stat_snapshot_statements
WHERE snapshot_id = $1::bigint
