-- Lets the catalog views (pg_class, pg_stat_user_tables) show the shards on this node, which Citus hides from them by default.
-- $1: local boolean (true: for this transaction only; false: for the session)
-- returns: set_config text
SELECT set_config('citus.override_table_visibility', 'off', $1::boolean)
