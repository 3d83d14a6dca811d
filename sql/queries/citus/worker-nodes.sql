-- The active primary workers that may hold shards, by host:port.
-- returns: nodeid int, node text
-- requires: citus
SELECT nodeid, nodename || ':' || nodeport AS node
FROM pg_dist_node
WHERE groupid <> 0 AND noderole = 'primary' AND isactive
ORDER BY nodeid
