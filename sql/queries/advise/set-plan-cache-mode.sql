-- Sets plan_cache_mode for the rest of this transaction (force_generic_plan: EXECUTE shows the generic plan before PostgreSQL 16) and returns the value before.
-- $1: mode text (auto, force_generic_plan or force_custom_plan)
-- returns: previous text
SELECT current_setting('plan_cache_mode') AS previous, set_config('plan_cache_mode', $1::text, true) AS mode
