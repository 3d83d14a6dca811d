-- Stores one snapshot of pg_stat_statements counters (given as a JSON array of statements rows), the size of this database and the server's start time.
-- $1: stats_reset timestamptz or null (pg_stat_statements_info.stats_reset at this moment)
-- $2: server_version_num int
-- $3: statements jsonb (array of objects with the columns of stats/statements)
-- $4: dealloc bigint or null (pg_stat_statements_info.dealloc at this moment)
-- returns: id bigint, taken_at timestamptz, statement_count int
WITH snap AS (
    INSERT INTO fluxadmin.stat_snapshots (stats_reset, server_version_num, statement_count, database_bytes, postmaster_start, dealloc)
    VALUES ($1::timestamptz, $2::int, jsonb_array_length($3::jsonb), pg_database_size(current_database()), pg_postmaster_start_time(), $4::bigint)
    RETURNING id, taken_at, statement_count
), ins AS (
    INSERT INTO fluxadmin.stat_snapshot_statements (snapshot_id, queryid, userid, dbid, toplevel, user_name, db_name, query,
        calls, total_ms, mean_ms, stddev_ms, rows, shared_blks_hit, shared_blks_read, shared_blks_written, temp_blks_read, temp_blks_written, blk_read_ms, blk_write_ms)
    SELECT snap.id, x.queryid, x.userid, x.dbid, x.toplevel, x.user_name, x.db_name, x.query,
           x.calls, x.total_ms, x.mean_ms, x.stddev_ms, x.rows, x.shared_blks_hit, x.shared_blks_read, x.shared_blks_written, x.temp_blks_read, x.temp_blks_written, x.blk_read_ms, x.blk_write_ms
    FROM snap, jsonb_to_recordset($3::jsonb) AS x (queryid bigint, userid oid, dbid oid, toplevel boolean, user_name text, db_name text, query text,
        calls bigint, total_ms float8, mean_ms float8, stddev_ms float8, rows bigint, shared_blks_hit bigint, shared_blks_read bigint,
        shared_blks_written bigint, temp_blks_read bigint, temp_blks_written bigint, blk_read_ms float8, blk_write_ms float8)
    ON CONFLICT DO NOTHING
), tables AS (
    INSERT INTO fluxadmin.stat_snapshot_tables (snapshot_id, relid, schema_name, table_name, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del)
    SELECT snap.id, t.relid, t.schemaname, t.relname, t.n_tup_ins, t.n_tup_upd, t.n_tup_hot_upd, t.n_tup_del
    FROM snap, pg_stat_user_tables t
    WHERE t.schemaname <> 'fluxadmin'
)
SELECT id, taken_at, statement_count FROM snap
