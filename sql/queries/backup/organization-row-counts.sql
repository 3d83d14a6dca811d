-- Row count per organization of every tenant table (a public table with an organization_id column).
-- returns: table_name text, organization_id text (null for rows without one), row_count bigint
SELECT c.relname::text AS table_name, x.organization_id, x.row_count
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'organization_id' AND a.attnum > 0 AND NOT a.attisdropped
CROSS JOIN LATERAL xmltable('/table/row'
  PASSING query_to_xml(format('SELECT organization_id::text AS o, count(*) AS n FROM %I.%I GROUP BY 1', n.nspname, c.relname), false, false, '')
  COLUMNS organization_id text PATH 'o', row_count bigint PATH 'n') x
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
ORDER BY 1, 2
