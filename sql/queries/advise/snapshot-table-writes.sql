-- The write counters of some tables in the latest snapshot that holds them (fluxadmin.stat_snapshot_tables, migration 070).
-- $1: relids oid[]
-- returns: relid oid, snapshot_id bigint, taken_at timestamptz, n_tup_ins bigint, n_tup_upd bigint, n_tup_hot_upd bigint
SELECT DISTINCT ON (t.relid) t.relid, s.id AS snapshot_id, s.taken_at, t.n_tup_ins, t.n_tup_upd, t.n_tup_hot_upd
FROM fluxadmin.stat_snapshot_tables t
JOIN fluxadmin.stat_snapshots s ON s.id = t.snapshot_id
WHERE t.relid = ANY ($1::oid[])
ORDER BY t.relid, s.taken_at DESC, s.id DESC
