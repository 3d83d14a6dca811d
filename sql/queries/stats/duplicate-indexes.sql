-- Sets of indexes on the same table with the same columns, operator classes, expressions and predicate (pg-extras duplicate_indexes).
-- $1: locked oid[] (indexes of these tables, and these indexes, are left out: reading them would wait for the lock)
-- returns: schema_name text, table_name text, indexes text[], index_bytes bigint (all of the set), definition text (of the first)
SELECT n.nspname::text AS schema_name, t.relname::text AS table_name,
       array_agg(i.relname::text ORDER BY i.relname) AS indexes,
       sum(pg_relation_size(i.oid))::bigint AS index_bytes,
       min(pg_get_indexdef(i.oid)) AS definition
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
  AND t.oid <> ALL (coalesce($1::oid[], '{}')) AND i.oid <> ALL (coalesce($1::oid[], '{}'))
GROUP BY n.nspname, t.relname, x.indrelid, i.relam, x.indkey::text, x.indclass::text, x.indcollation::text,
         coalesce(pg_get_expr(x.indexprs, x.indrelid), ''), coalesce(pg_get_expr(x.indpred, x.indrelid), '')
HAVING count(*) > 1
ORDER BY index_bytes DESC, schema_name, table_name
