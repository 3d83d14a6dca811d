-- Drops what an interrupted shard split or move left behind (shards, subscriptions, slots recorded in pg_dist_cleanup).
-- requires: citus
CALL citus_cleanup_orphaned_resources()
