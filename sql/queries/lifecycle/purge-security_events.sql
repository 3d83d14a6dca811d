-- Purge of one organization: deletes one batch of the security events.
-- $1: organization id uuid
-- $2: batch size int
-- returns: row count
DELETE FROM security_events WHERE id IN (SELECT id FROM security_events WHERE metadata->>'org_id' = $1::text LIMIT $2)
