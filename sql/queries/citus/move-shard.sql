-- Moves a shard and every shard co-located with it from one node to another (logical replication keeps writes going until the cut-over).
-- $1: shard_id bigint
-- $2: source_nodeid int
-- $3: target_nodeid int
-- $4: shard_transfer_mode text
-- requires: citus
SELECT citus_move_shard_placement($1::bigint, $2::int, $3::int, $4::citus.shard_transfer_mode)
