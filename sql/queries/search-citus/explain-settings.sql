-- For the rest of an EXPLAIN ANALYZE of the search on Citus: every placement is reached over a connection, as Citus refuses EXPLAIN ANALYZE of a distributed query in a transaction that already read a placement on the coordinator itself (the reference tables the filters are resolved in).
-- returns: set_config text
-- requires: citus
SELECT set_config('citus.enable_local_execution', 'off', true)
