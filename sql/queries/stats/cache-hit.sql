-- Share of table and index block reads served from shared buffers in this database (pg-extras cache_hit).
-- returns: kind text (table or index), ratio float8 (null before any read), hits bigint, reads bigint
SELECT 'table' AS kind,
       sum(heap_blks_hit)::float8 / nullif(sum(heap_blks_hit) + sum(heap_blks_read), 0) AS ratio,
       coalesce(sum(heap_blks_hit), 0)::bigint AS hits,
       coalesce(sum(heap_blks_read), 0)::bigint AS reads
FROM pg_statio_user_tables
UNION ALL
SELECT 'index',
       sum(idx_blks_hit)::float8 / nullif(sum(idx_blks_hit) + sum(idx_blks_read), 0),
       coalesce(sum(idx_blks_hit), 0)::bigint,
       coalesce(sum(idx_blks_read), 0)::bigint
FROM pg_statio_user_indexes
