-- The active nodes the coordinator cannot open a connection to now (one SELECT 1 on every node).
-- returns: node text (host:port), error text
-- requires: citus
SELECT n.nodename || ':' || n.nodeport AS node, r.result AS error
FROM run_command_on_all_nodes('SELECT 1') r
JOIN pg_dist_node n USING (nodeid)
WHERE NOT r.success
ORDER BY n.groupid, n.nodeid
