-- Invalid indexes of this database (a failed CREATE INDEX CONCURRENTLY or REINDEX CONCURRENTLY leaves them behind).
-- returns: value numeric (count), detail text
SELECT count(*)::numeric AS value,
       CASE WHEN count(*) = 0 THEN 'no invalid indexes'
            ELSE 'invalid: ' || string_agg(format('%I.%I on %s', n.nspname, c.relname, i.indrelid::regclass), ', ' ORDER BY n.nspname, c.relname)
                 || '; drop and recreate them' END AS detail
FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE NOT i.indisvalid
