-- Every valid B-tree index outside the system schemas, largest first, for amcheck.
-- returns: index_oid oid, index_name text, table_name text, bytes bigint
SELECT i.oid AS index_oid, format('%I.%I', n.nspname, i.relname) AS index_name, t.relname::text AS table_name,
       pg_relation_size(i.oid) AS bytes
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace n ON n.oid = i.relnamespace
JOIN pg_am am ON am.oid = i.relam
WHERE am.amname = 'btree' AND x.indisvalid AND x.indisready AND i.relpersistence <> 't'
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
ORDER BY bytes DESC, index_name
