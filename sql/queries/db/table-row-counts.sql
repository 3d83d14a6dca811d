-- Exact row count of every table in the public schema, largest first.
-- $1: locked oid[] (tables left out: counting them would wait for the lock)
-- returns: table_name text, row_count bigint, total_bytes bigint
SELECT c.relname::text AS table_name,
       (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text::bigint AS row_count,
       pg_total_relation_size(c.oid) AS total_bytes
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.oid <> ALL (coalesce($1::oid[], '{}'))
ORDER BY row_count DESC, table_name
