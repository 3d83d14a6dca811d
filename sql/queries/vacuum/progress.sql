-- Vacuums running now (pg_stat_progress_vacuum), with how far the heap scan and vacuum have got.
-- returns: pid int, database text, table_name text, phase text, heap_blks_total bigint, heap_blks_scanned bigint, heap_blks_vacuumed bigint, scanned_pct numeric, vacuumed_pct numeric, index_vacuum_count bigint, indexes_total bigint, indexes_processed bigint, dead_tuples bigint, max_dead_tuples bigint, dead_tuple_bytes bigint, max_dead_tuple_bytes bigint, is_autovacuum boolean, running_for interval, query text
SELECT p.pid, p.datname AS database,
       coalesce(format('%I.%I', n.nspname, c.relname), p.relid::text) AS table_name,
       p.phase, p.heap_blks_total, p.heap_blks_scanned, p.heap_blks_vacuumed,
       round(100.0 * p.heap_blks_scanned / nullif(p.heap_blks_total, 0), 1) AS scanned_pct,
       round(100.0 * p.heap_blks_vacuumed / nullif(p.heap_blks_total, 0), 1) AS vacuumed_pct,
       p.index_vacuum_count, NULL::bigint AS indexes_total, NULL::bigint AS indexes_processed,
       p.num_dead_tuples AS dead_tuples, p.max_dead_tuples, NULL::bigint AS dead_tuple_bytes, NULL::bigint AS max_dead_tuple_bytes,
       a.backend_type = 'autovacuum worker' AS is_autovacuum,
       date_trunc('second', now() - a.xact_start) AS running_for,
       a.query
FROM pg_stat_progress_vacuum p
LEFT JOIN pg_stat_activity a ON a.pid = p.pid
LEFT JOIN pg_class c ON c.oid = p.relid
LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
ORDER BY a.xact_start NULLS LAST, p.pid
