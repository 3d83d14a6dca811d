-- Every placement of every shard of the Citus tables: its logical table and the shard's own table on the node that holds it (as pg_stat_user_tables names them there).
-- returns: table_name text, shard_name text, node text (host:port)
-- requires: citus
SELECT format('%I.%I', ns.nspname, c.relname) AS table_name,
       format('%I.%I', ns.nspname, c.relname || '_' || s.shardid) AS shard_name,
       n.nodename || ':' || n.nodeport AS node
FROM pg_dist_shard s
JOIN pg_dist_placement p ON p.shardid = s.shardid
JOIN pg_dist_node n ON n.groupid = p.groupid AND n.noderole = 'primary'
JOIN pg_class c ON c.oid = s.logicalrelid
JOIN pg_namespace ns ON ns.oid = c.relnamespace
ORDER BY 1, 2, 3
