-- Settings for the rest of db distribute's transaction: the updated_at triggers may move (they touch only their own row), local tables are not turned into Citus local tables on the way, and one connection per node keeps DDL after reference tables legal.
-- returns: set_config text
-- requires: citus
SELECT set_config('citus.enable_unsafe_triggers', 'on', true),
       set_config('citus.enable_local_reference_table_foreign_keys', 'off', true),
       set_config('citus.multi_shard_modify_mode', 'sequential', true),
       set_config('client_min_messages', 'warning', true)
