-- Every node of the Citus cluster (pg_dist_node) and whether each reaches every other (citus_check_cluster_node_health()): the active nodes that cannot be reached, or cannot reach a node the others reach.
-- returns: value int (active nodes in trouble), detail text, inactive int
-- requires: citus
WITH nodes AS (
  SELECT n.nodename, n.nodeport, n.nodename || ':' || n.nodeport AS node, n.isactive,
         CASE WHEN n.groupid = 0 THEN 'coordinator' ELSE 'worker' END AS role, n.groupid, n.nodeid
  FROM pg_dist_node n
  WHERE n.noderole = 'primary'
), health AS (
  SELECT h.from_nodename || ':' || h.from_nodeport AS from_node, h.to_nodename || ':' || h.to_nodeport AS to_node, h.result
  FROM citus_check_cluster_node_health() h
), down AS (
  -- A node that is down answers for nobody (NULL) and is reached by nobody (false).
  SELECT h.to_node AS node, string_agg(h.from_node, ', ' ORDER BY h.from_node) AS unreachable_from
  FROM health h
  WHERE h.result IS FALSE
  GROUP BY h.to_node
), judged AS (
  SELECT nodes.*, down.unreachable_from,
         down.node IS NULL AND EXISTS (
           SELECT FROM health h
           WHERE h.from_node = nodes.node AND h.result IS NOT TRUE AND h.to_node NOT IN (SELECT node FROM down)
         ) AS partitioned
  FROM nodes
  LEFT JOIN down ON down.node = nodes.node
)
SELECT count(*) FILTER (WHERE isactive AND (unreachable_from IS NOT NULL OR partitioned))::int AS value,
       count(*) FILTER (WHERE NOT isactive)::int AS inactive,
       format('%s node(s): %s%s%s',
              count(*),
              string_agg(format('%s %s', role, node), ', ' ORDER BY groupid, nodeid),
              coalesce('; DOWN: ' || string_agg(CASE WHEN unreachable_from IS NOT NULL
                                                     THEN format('%s %s cannot be reached (from %s)', role, node, unreachable_from)
                                                     WHEN partitioned THEN format('%s %s cannot reach every other node', role, node) END,
                                                '; ' ORDER BY groupid, nodeid) FILTER (WHERE isactive)
                       || '; start its PostgreSQL (or take it out with citus_disable_node / citus_remove_node)', ''),
              coalesce('; inactive (citus_disable_node): ' || string_agg(node, ', ' ORDER BY groupid, nodeid) FILTER (WHERE NOT isactive), '')) AS detail
FROM judged
