-- Purge of one organization: deletes one batch of the notifications.
-- $1: organization id uuid
-- $2: batch size int
-- returns: row count
DELETE FROM notifications WHERE id IN (SELECT id FROM notifications WHERE organization_id = $1 LIMIT $2)
