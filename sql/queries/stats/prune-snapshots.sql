-- Deletes snapshots taken before a point in time (their statements go with them).
-- $1: before timestamptz
-- returns: pruned bigint
WITH gone AS (DELETE FROM fluxadmin.stat_snapshots WHERE taken_at < $1::timestamptz RETURNING id)
SELECT count(*) AS pruned FROM gone
