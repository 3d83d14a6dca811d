-- The UPDATE that copies organization_id into a tenant table from the parent row each of its rows belongs to.
-- $1: table text
-- $2: parent table text
-- $3: column text (references the parent's id)
-- returns: sql text
SELECT format('UPDATE %I t SET organization_id = p.organization_id FROM %I p WHERE p.id = t.%I', $1::text, $2::text, $3::text) AS sql
