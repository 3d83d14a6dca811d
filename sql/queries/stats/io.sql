-- Server-wide I/O by backend type, object and context since the statistics reset (pg_stat_io), busiest first.
-- returns: backend_type text, object text, context text, reads bigint, read_bytes numeric, read_ms float8, writes bigint, write_bytes numeric, write_ms float8, writebacks bigint, extends bigint, hits bigint, hit_ratio float8, evictions bigint, reuses bigint, fsyncs bigint, fsync_ms float8, stats_reset timestamptz
-- requires: pg >= 16
-- PostgreSQL 16 and 17 count operations of op_bytes each; times need track_io_timing (0 otherwise).
SELECT backend_type, object, context,
       reads, reads * op_bytes AS read_bytes, read_time AS read_ms,
       writes, writes * op_bytes AS write_bytes, write_time AS write_ms,
       writebacks, extends, hits, hits::float8 / nullif(hits + reads, 0) AS hit_ratio,
       evictions, reuses, fsyncs, fsync_time AS fsync_ms, stats_reset
FROM pg_stat_io
WHERE coalesce(reads, 0) + coalesce(writes, 0) + coalesce(extends, 0) + coalesce(hits, 0) + coalesce(fsyncs, 0) > 0
ORDER BY coalesce(reads, 0) + coalesce(writes, 0) + coalesce(extends, 0) DESC, backend_type, object, context
