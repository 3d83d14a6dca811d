-- Creates hypothetical indexes (HypoPG: this session only, nothing on disk) from CREATE INDEX statements.
-- $1: statements text[]
-- returns: ord int, indexrelid oid, indexname text
-- requires: hypopg
SELECT d.ord::int AS ord, h.indexrelid, h.indexname::text AS indexname
FROM unnest($1::text[]) WITH ORDINALITY AS d (sql, ord), LATERAL hypopg_create_index(d.sql) AS h
ORDER BY d.ord
