-- Statements from pg_stat_statements with their share of all execution time, filtered, sorted by an allow-listed key.
-- $1: sort text (total, mean, calls, rows, io, io-time, temp or stddev; the caller checks the allow-list)
-- $2: db text or null (only statements of this database)
-- $3: user text or null (only statements of this role)
-- $4: min_calls bigint (leave out statements called fewer times)
-- $5: query text or null (case-insensitive substring of the normalized text)
-- $6: limit int or null (null: every statement)
-- $7: own_tag text or null (leave out statements whose text starts with it, fluxadmin's own; null keeps them)
-- returns: queryid bigint, userid oid, dbid oid, toplevel boolean, user_name text, db_name text, calls bigint, total_ms float8, mean_ms float8, stddev_ms float8, rows bigint, pct_total float8, shared_blks_hit bigint, shared_blks_read bigint, shared_blks_written bigint, hit_ratio float8, temp_blks_read bigint, temp_blks_written bigint, blk_read_ms float8, blk_write_ms float8, query text
-- pg_stat_statements 1.8 (PostgreSQL 13's; kept by pg_upgrade): no toplevel column yet, every entry is top-level.
-- blk_read_ms and blk_write_ms: time reading and writing shared and local blocks (with track_io_timing; 0 without).
WITH s AS (
    SELECT s.queryid, s.userid, s.dbid, true AS toplevel, s.query, s.calls, s.rows,
           s.shared_blks_hit, s.shared_blks_read, s.shared_blks_written, s.temp_blks_read, s.temp_blks_written,
           s.total_exec_time AS total_ms, s.mean_exec_time AS mean_ms, s.stddev_exec_time AS stddev_ms,
           s.blk_read_time AS blk_read_ms, s.blk_write_time AS blk_write_ms
    FROM pg_stat_statements s
    WHERE s.queryid IS NOT NULL
), shared AS (
    SELECT s.*, 100 * s.total_ms / nullif(sum(s.total_ms) OVER (), 0) AS pct_total
    FROM s
)
SELECT s.queryid, s.userid, s.dbid, s.toplevel, r.rolname::text AS user_name, d.datname::text AS db_name,
       s.calls, s.total_ms, s.mean_ms, s.stddev_ms, s.rows, s.pct_total,
       s.shared_blks_hit, s.shared_blks_read, s.shared_blks_written,
       s.shared_blks_hit::float8 / nullif(s.shared_blks_hit + s.shared_blks_read, 0) AS hit_ratio,
       s.temp_blks_read, s.temp_blks_written, s.blk_read_ms, s.blk_write_ms, s.query
FROM shared s
LEFT JOIN pg_roles r ON r.oid = s.userid
LEFT JOIN pg_database d ON d.oid = s.dbid
WHERE ($2::text IS NULL OR d.datname = $2::text)
  AND ($3::text IS NULL OR r.rolname = $3::text)
  AND s.calls >= coalesce($4::bigint, 0)
  AND ($5::text IS NULL OR strpos(lower(s.query), lower($5::text)) > 0)
  AND ($7::text IS NULL OR NOT starts_with(s.query, $7::text))
ORDER BY CASE $1::text
           WHEN 'total' THEN s.total_ms
           WHEN 'mean' THEN s.mean_ms
           WHEN 'calls' THEN s.calls::float8
           WHEN 'rows' THEN s.rows::float8
           WHEN 'io' THEN (s.shared_blks_read + s.shared_blks_written)::float8
           WHEN 'io-time' THEN s.blk_read_ms + s.blk_write_ms
           WHEN 'temp' THEN (s.temp_blks_read + s.temp_blks_written)::float8
           WHEN 'stddev' THEN s.stddev_ms
         END DESC NULLS LAST,
         s.total_ms DESC, s.queryid, s.userid, s.dbid
LIMIT $6::int
