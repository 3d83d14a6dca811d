-- Purge of one organization: deletes one batch of the projects (their members go with them; templates wait for the projects made from them).
-- $1: organization id uuid
-- $2: batch size int
-- returns: row count
DELETE FROM projects WHERE id IN (
  SELECT p.id FROM projects p
  WHERE p.organization_id = $1 AND NOT EXISTS (SELECT 1 FROM projects c WHERE c.template_id = p.id)
  LIMIT $2)
