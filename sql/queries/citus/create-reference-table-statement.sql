-- The call that makes a table a Citus reference table (a copy on every node).
-- $1: table text
-- returns: sql text
SELECT format('SELECT create_reference_table(%L)', $1::text) AS sql
