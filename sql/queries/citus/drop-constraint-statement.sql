-- The DDL that drops a foreign key between tenant tables while they move (it comes back with organization_id leading).
-- $1: table text
-- $2: constraint text
-- returns: sql text
SELECT format('ALTER TABLE %I DROP CONSTRAINT %I', $1::text, $2::text) AS sql
