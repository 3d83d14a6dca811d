-- The call that frees the coordinator's copy of a table's rows once Citus has moved them to its shards.
-- $1: table text
-- returns: sql text
SELECT format('SELECT truncate_local_data_after_distributing_table(%L)', $1::text) AS sql
