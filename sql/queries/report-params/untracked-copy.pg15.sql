-- Leaves this transaction's COPY statement out of pg_stat_statements (track_utility off, for the transaction only) where the role may set that (a superuser, or GRANT SET ON PARAMETER pg_stat_statements.track_utility): the COPY carries its parameters as literals, so each run would add an entry of its own and in time evict the application's statements. The query inside the COPY is still counted, under one normalized entry for every run.
-- returns: track_utility text (the setting now, or null where pg_stat_statements is not loaded or the role may not set it)
-- requires: pg >= 15
SELECT set_config('pg_stat_statements.track_utility', 'off', true) AS track_utility
WHERE EXISTS (SELECT 1 FROM pg_settings WHERE name = 'pg_stat_statements.track_utility')
  AND has_parameter_privilege('pg_stat_statements.track_utility', 'SET')
