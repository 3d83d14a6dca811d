-- The stored snapshots, newest first, with what each holds and whether the counters were reset or the server restarted before it.
-- $1: limit int or null (null: all)
-- returns: snapshot_id bigint, taken_at timestamptz, statements int, plans bigint, tables bigint, stats_reset timestamptz, postmaster_start timestamptz, dealloc bigint, database_bytes bigint
SELECT s.id AS snapshot_id, s.taken_at, s.statement_count AS statements,
       (SELECT count(*) FROM fluxadmin.stat_snapshot_plans p WHERE p.snapshot_id = s.id) AS plans,
       (SELECT count(*) FROM fluxadmin.stat_snapshot_tables t WHERE t.snapshot_id = s.id) AS tables,
       s.stats_reset, s.postmaster_start, s.dealloc, s.database_bytes
FROM fluxadmin.stat_snapshots s
ORDER BY s.taken_at DESC, s.id DESC
LIMIT $1::int
