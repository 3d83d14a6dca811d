-- Purge of one organization: deletes one batch of the former members who now belong to no organization and whom no other row needs, with their tokens and security events.
-- $1: organization id uuid
-- $2: batch size int
-- returns: row count
WITH doomed AS (
  SELECT u.id FROM users u
  WHERE u.id IN (SELECT jsonb_array_elements_text(settings->'purge'->'users')::uuid FROM organizations WHERE id = $1)
    AND NOT EXISTS (SELECT 1 FROM organization_members m WHERE m.user_id = u.id)
    AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.author_id = u.id)
    AND NOT EXISTS (SELECT 1 FROM files f WHERE f.uploaded_by = u.id)
    AND NOT EXISTS (SELECT 1 FROM projects p WHERE p.manager_id = u.id OR p.client_id = u.id)
    AND NOT EXISTS (SELECT 1 FROM organizations o WHERE o.created_by = u.id)
  LIMIT $2
), tokens AS (
  DELETE FROM refresh_tokens WHERE user_id IN (SELECT id FROM doomed)
), events AS (
  DELETE FROM security_events WHERE user_id IN (SELECT id FROM doomed)
)
DELETE FROM users WHERE id IN (SELECT id FROM doomed)
