-- The indexes of some tables, with their key columns (0: an expression) and per-column options (bit 1: DESC).
-- $1: relids oid[]
-- returns: relid oid, index_name text, method text, valid boolean, partial boolean, unique boolean, keys int[], options int[]
SELECT i.indrelid AS relid, c.relname::text AS index_name, am.amname::text AS method, i.indisvalid AS valid,
       i.indpred IS NOT NULL AS partial, i.indisunique AS unique,
       (i.indkey::int2[])[0:i.indnkeyatts - 1]::int[] AS keys, (i.indoption::int2[])[0:i.indnkeyatts - 1]::int[] AS options
FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid
JOIN pg_am am ON am.oid = c.relam
WHERE i.indrelid = ANY ($1::oid[])
ORDER BY i.indrelid, c.relname
