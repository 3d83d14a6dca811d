-- Tables with an organization_id column (tenant key) and no valid index whose first column is organization_id.
-- returns: value numeric (tables), detail text
SELECT count(*)::numeric AS value,
       CASE WHEN count(*) = 0 THEN 'every organization_id column leads an index'
            ELSE 'no index leading on organization_id: ' || string_agg(a.attrelid::regclass::text, ', ' ORDER BY a.attrelid::regclass::text) END AS detail
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid AND c.relkind IN ('r', 'p')
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE a.attname = 'organization_id' AND NOT a.attisdropped
  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
  AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisvalid AND i.indkey[0] = a.attnum)
