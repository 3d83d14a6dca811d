-- Each co-location group: its kind, shard count, the tables in it and on how many nodes its shards are.
-- returns: colocation_id int, kind text, shard_count int, tables text[], nodes int
-- requires: citus
SELECT t.colocationid AS colocation_id,
       CASE WHEN bool_and(t.partmethod = 'n') THEN 'reference' ELSE 'distributed' END AS kind,
       (SELECT count(*) FROM pg_dist_shard s WHERE s.logicalrelid = min(t.logicalrelid::oid)::regclass)::int AS shard_count,
       array_agg(t.logicalrelid::regclass::text ORDER BY t.logicalrelid::regclass::text) AS tables,
       (SELECT count(DISTINCT p.groupid) FROM pg_dist_shard s JOIN pg_dist_placement p USING (shardid)
        WHERE s.logicalrelid = min(t.logicalrelid::oid)::regclass)::int AS nodes
FROM pg_dist_partition t
GROUP BY t.colocationid
ORDER BY t.colocationid
