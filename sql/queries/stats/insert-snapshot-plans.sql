-- Stores the generic plan shapes of a snapshot's top statements (given as a JSON array).
-- $1: snapshot_id bigint
-- $2: plans jsonb (array of {queryid, dbid, plan_hash, plan, method})
-- returns: stored bigint
WITH ins AS (
    INSERT INTO fluxadmin.stat_snapshot_plans (snapshot_id, queryid, dbid, plan_hash, plan, method)
    SELECT $1::bigint, x.queryid, x.dbid, x.plan_hash, x.plan, x.method
    FROM jsonb_to_recordset($2::jsonb) AS x (queryid bigint, dbid oid, plan_hash text, plan text, method text)
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT count(*) AS stored FROM ins
