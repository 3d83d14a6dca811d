-- Foreign keys whose columns are not the leading columns of a valid index (deletes and updates of the referenced row scan the table).
-- returns: value numeric (foreign keys), detail text
WITH fks AS (
  SELECT c.conrelid, c.conname, c.conkey
  FROM pg_constraint c
  JOIN pg_namespace n ON n.oid = c.connamespace
  WHERE c.contype = 'f' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
), missing AS (
  SELECT f.* FROM fks f
  WHERE NOT EXISTS (
    SELECT 1 FROM pg_index i
    WHERE i.indrelid = f.conrelid AND i.indisvalid
      AND (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(f.conkey)] @> f.conkey
      AND (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(f.conkey)] <@ f.conkey
  )
)
SELECT count(*)::numeric AS value,
       CASE WHEN count(*) = 0 THEN 'every foreign key has a supporting index'
            ELSE format('%s foreign key(s) without an index: ', count(*))
                 || string_agg(format('%s (%s)', conrelid::regclass, (SELECT string_agg(a.attname, ', ' ORDER BY k.ord) FROM unnest(conkey) WITH ORDINALITY k(attnum, ord)
                                                                    JOIN pg_attribute a ON a.attrelid = conrelid AND a.attnum = k.attnum)), '; ' ORDER BY conrelid::regclass::text, conname) END AS detail
FROM missing
