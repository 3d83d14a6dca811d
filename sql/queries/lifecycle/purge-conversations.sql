-- Purge of one organization: deletes one batch of the conversations (their participants go with them).
-- $1: organization id uuid
-- $2: batch size int
-- returns: row count
DELETE FROM conversations WHERE id IN (SELECT id FROM conversations WHERE organization_id = $1 LIMIT $2)
