-- For the rest of a search accelerator transaction that changes messages' definition on Citus: its trigger may go on the distributed table (it touches only its own row), and one connection per node lets the function and trigger DDL follow the column's.
-- returns: set_config text
-- requires: citus
SELECT set_config('citus.enable_unsafe_triggers', 'on', true),
       set_config('citus.multi_shard_modify_mode', 'sequential', true)
