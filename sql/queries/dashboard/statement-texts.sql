-- Query texts of a few pg_stat_statements entries (read once per new entry, cut to 1000 characters).
-- $1: queryids bigint[]
-- returns: queryid bigint, query text
SELECT DISTINCT ON (queryid) queryid, left(query, 1000) AS query
FROM pg_stat_statements
WHERE queryid = ANY ($1::bigint[])
ORDER BY queryid
