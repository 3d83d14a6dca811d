-- The generic plan shapes stored with one snapshot.
-- $1: snapshot_id bigint
-- returns: queryid bigint, dbid oid, plan_hash text, plan text, method text
SELECT queryid, dbid, plan_hash, plan, method
FROM fluxadmin.stat_snapshot_plans
WHERE snapshot_id = $1::bigint
