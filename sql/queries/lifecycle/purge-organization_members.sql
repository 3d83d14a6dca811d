-- Purge of one organization: deletes one batch of the memberships.
-- $1: organization id uuid
-- $2: batch size int
-- returns: row count
DELETE FROM organization_members WHERE id IN (SELECT id FROM organization_members WHERE organization_id = $1 LIMIT $2)
