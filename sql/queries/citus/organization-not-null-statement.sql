-- The DDL that makes a tenant table's organization_id NOT NULL (the distribution column never is NULL).
-- $1: table text
-- returns: sql text
SELECT format('ALTER TABLE %I ALTER COLUMN organization_id SET NOT NULL', $1::text) AS sql
