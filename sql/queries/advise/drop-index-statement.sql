-- Builds a safely quoted DROP INDEX CONCURRENTLY IF EXISTS statement (DDL takes no bind parameters).
-- $1: schema text
-- $2: index name text
-- returns: sql text
SELECT format('DROP INDEX CONCURRENTLY IF EXISTS %I.%I', $1::text, $2::text) AS sql
