-- The snapshot taken just before another one (null when it is the oldest).
-- $1: snapshot_id bigint
-- returns: id bigint, taken_at timestamptz, stats_reset timestamptz, statement_count int, postmaster_start timestamptz, dealloc bigint
SELECT p.id, p.taken_at, p.stats_reset, p.statement_count, p.postmaster_start, p.dealloc
FROM fluxadmin.stat_snapshots s
JOIN fluxadmin.stat_snapshots p ON (p.taken_at, p.id) < (s.taken_at, s.id)
WHERE s.id = $1::bigint
ORDER BY p.taken_at DESC, p.id DESC
LIMIT 1
