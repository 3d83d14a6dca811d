-- Size of every table: heap, indexes, TOAST and the total (table + indexes + toast = total), largest first (pg-extras table_size).
-- $1: locked oid[] (tables left out: a lock they hold would make the size functions wait)
-- returns: schema_name text, table_name text, table_bytes bigint, index_bytes bigint, toast_bytes bigint, total_bytes bigint
SELECT n.nspname::text AS schema_name, c.relname::text AS table_name,
       pg_table_size(c.oid) - coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0) AS table_bytes,
       pg_indexes_size(c.oid) AS index_bytes,
       coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0) AS toast_bytes,
       pg_total_relation_size(c.oid) AS total_bytes
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
  AND c.oid <> ALL (coalesce($1::oid[], '{}'))
ORDER BY total_bytes DESC, schema_name, table_name
