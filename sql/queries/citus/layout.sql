-- This database's Citus layout: active workers, the tables Citus holds and how, and the shard count of the tenant tables.
-- returns: workers int, worker_nodes text[], distributed text[], reference text[], shard_count int
-- requires: citus
SELECT (SELECT count(*) FROM pg_dist_node WHERE groupid <> 0 AND noderole = 'primary' AND isactive)::int AS workers,
       ARRAY(SELECT nodename || ':' || nodeport FROM pg_dist_node WHERE groupid <> 0 AND noderole = 'primary' AND isactive ORDER BY nodeid) AS worker_nodes,
       ARRAY(SELECT logicalrelid::regclass::text FROM pg_dist_partition WHERE partmethod = 'h' ORDER BY 1) AS distributed,
       ARRAY(SELECT logicalrelid::regclass::text FROM pg_dist_partition WHERE partmethod = 'n' AND repmodel = 't' ORDER BY 1) AS reference,
       (SELECT count(*) FROM pg_dist_shard WHERE logicalrelid = to_regclass('public.messages'))::int AS shard_count
