-- Purge of one organization: deletes one batch of the file rows (older versions wait for their newer ones).
-- $1: organization id uuid
-- $2: batch size int
-- returns: row count
DELETE FROM files WHERE id IN (
  SELECT f.id FROM files f
  WHERE f.organization_id = $1 AND NOT EXISTS (SELECT 1 FROM files c WHERE c.parent_file_id = f.id)
  LIMIT $2)
