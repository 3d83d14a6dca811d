-- For the rest of a tenant change's transaction: on Citus, one connection per node, so that a change may read a distributed table on several shards and then write a reference table (organizations, users, refresh_tokens, security_events: the audit row) in the same transaction. Without Citus the setting is an unused placeholder.
-- returns: set_config text
SELECT set_config('citus.multi_shard_modify_mode', 'sequential', true)
