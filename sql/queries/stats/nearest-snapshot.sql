-- The snapshot taken closest to a point in time (the earlier one on a tie).
-- $1: at timestamptz
-- returns: id bigint, taken_at timestamptz, stats_reset timestamptz, statement_count int, postmaster_start timestamptz, dealloc bigint
SELECT id, taken_at, stats_reset, statement_count, postmaster_start, dealloc
FROM fluxadmin.stat_snapshots
ORDER BY abs(extract(epoch FROM taken_at - $1::timestamptz)), taken_at, id
LIMIT 1
