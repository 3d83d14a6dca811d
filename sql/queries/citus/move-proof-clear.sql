-- Empties the session's table of rows before a shard move (DELETE: allowed on a temporary table in a read-only transaction).
-- requires: citus
DELETE FROM pg_temp.fluxadmin_move_proof
