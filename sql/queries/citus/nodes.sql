-- The active primary nodes of this Citus cluster, coordinator first (pg_dist_node): how the coordinator reaches each.
-- returns: nodeid int, node text (host:port), host text, port int, role text ('coordinator' or 'worker')
-- requires: citus
SELECT n.nodeid, n.nodename || ':' || n.nodeport AS node, n.nodename AS host, n.nodeport AS port,
       CASE WHEN n.groupid = 0 THEN 'coordinator' ELSE 'worker' END AS role
FROM pg_dist_node n
WHERE n.isactive AND n.noderole = 'primary'
ORDER BY n.groupid, n.nodeid
