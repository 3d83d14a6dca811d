-- Builds a safely quoted DROP DATABASE statement that also ends sessions still connected to it.
-- $1: database name text
-- returns: sql text
SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', $1::text) AS sql
