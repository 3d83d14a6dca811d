-- Whether an index of this name exists in a schema, and whether it is valid (a failed CREATE INDEX CONCURRENTLY leaves an invalid one).
-- $1: schema text
-- $2: index name text
-- returns: present boolean, valid boolean
SELECT count(*) > 0 AS present, coalesce(bool_and(i.indisvalid), false) AS valid
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_index i ON i.indexrelid = c.oid
WHERE n.nspname = $1::text AND c.relname = $2::text
