-- Every node of this Citus cluster: role, whether the coordinator reaches it, its versions, and its shard placements with their bytes (each node counts its own).
-- returns: nodeid int, node text, role text, active boolean, should_have_shards boolean, reachable boolean, version text, shards int, bytes bigint, distributed_bytes bigint, error text
-- requires: citus
WITH probe AS (
  SELECT nodeid, success, result
  FROM run_command_on_all_nodes($cmd$
    SELECT json_build_object(
      'version', current_setting('server_version') || ', Citus ' || (SELECT extversion FROM pg_extension WHERE extname = 'citus'),
      'bytes', (SELECT coalesce(sum(pg_total_relation_size(to_regclass(shard_name(s.logicalrelid, s.shardid)))), 0)
                FROM pg_dist_placement p JOIN pg_dist_shard s USING (shardid)
                WHERE p.groupid = (SELECT groupid FROM pg_dist_local_group)),
      'distributed_bytes', (SELECT coalesce(sum(pg_total_relation_size(to_regclass(shard_name(s.logicalrelid, s.shardid)))), 0)
                FROM pg_dist_placement p JOIN pg_dist_shard s USING (shardid) JOIN pg_dist_partition t USING (logicalrelid)
                WHERE p.groupid = (SELECT groupid FROM pg_dist_local_group) AND t.partmethod = 'h'))::text
  $cmd$)
)
SELECT n.nodeid,
       n.nodename || ':' || n.nodeport AS node,
       CASE WHEN n.groupid = 0 THEN 'coordinator' ELSE 'worker' END || CASE WHEN n.noderole <> 'primary' THEN ' (' || n.noderole || ')' ELSE '' END AS role,
       n.isactive AS active,
       n.shouldhaveshards AS should_have_shards,
       coalesce(r.success, false) AS reachable,
       CASE WHEN r.success THEN (r.result::json) ->> 'version' END AS version,
       (SELECT count(*) FROM pg_dist_placement p WHERE p.groupid = n.groupid)::int AS shards,
       CASE WHEN r.success THEN ((r.result::json) ->> 'bytes')::bigint END AS bytes,
       CASE WHEN r.success THEN ((r.result::json) ->> 'distributed_bytes')::bigint END AS distributed_bytes,
       CASE WHEN NOT coalesce(r.success, false) THEN coalesce(r.result, 'not probed (inactive)') END AS error
FROM pg_dist_node n
LEFT JOIN probe r USING (nodeid)
ORDER BY n.groupid, n.nodeid
