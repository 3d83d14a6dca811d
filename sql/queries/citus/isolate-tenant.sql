-- Puts one organization on shards of its own in every co-located tenant table (Citus splits the shard that holds it, on its node).
-- $1: organization_id uuid
-- $2: shard_transfer_mode text
-- returns: shard_id bigint
-- requires: citus
SELECT isolate_tenant_to_new_shard('messages', $1::uuid, 'CASCADE', shard_transfer_mode => $2::citus.shard_transfer_mode) AS shard_id
