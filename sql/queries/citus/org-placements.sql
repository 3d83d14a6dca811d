-- Where each organization's rows live: the shard of the tenant tables that holds it, its node, and whether that shard holds this organization alone (isolated).
-- $1: organization_ids uuid[]
-- returns: organization_id uuid, shard_id bigint, nodeid int, node text, isolated boolean
-- requires: citus
SELECT o.id AS organization_id, s.shardid AS shard_id, n.nodeid, n.nodename || ':' || n.nodeport AS node,
       s.shardminvalue = s.shardmaxvalue AS isolated
FROM unnest($1::uuid[]) AS o(id)
JOIN pg_dist_shard s ON s.shardid = get_shard_id_for_distribution_column('messages', o.id)
JOIN pg_dist_placement p ON p.shardid = s.shardid
JOIN pg_dist_node n ON n.groupid = p.groupid AND n.noderole = 'primary'
