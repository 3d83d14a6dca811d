-- The DDL that gives a tenant table without one an organization_id column (db distribute; the table comes from its allow-list).
-- $1: table text
-- returns: sql text
SELECT format('ALTER TABLE %I ADD COLUMN organization_id uuid', $1::text) AS sql
