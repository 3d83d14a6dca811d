-- Purge of one organization: deletes one batch of the teams (their members go with them).
-- $1: organization id uuid
-- $2: batch size int
-- returns: row count
DELETE FROM teams WHERE id IN (SELECT id FROM teams WHERE organization_id = $1 LIMIT $2)
