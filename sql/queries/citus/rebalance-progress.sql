-- The shard moves running now (by citus_move_shard_placement or the rebalancer), with the bytes copied so far.
-- returns: table_name text, shard_id bigint, source text, target text, shard_size bigint, target_shard_size bigint, progress int
-- requires: citus
SELECT table_name::text, shardid AS shard_id, sourcename || ':' || sourceport AS source, targetname || ':' || targetport AS target,
       source_shard_size AS shard_size, target_shard_size, progress::int
FROM get_rebalance_progress()
ORDER BY shardid
