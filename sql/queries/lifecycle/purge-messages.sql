-- Purge of one organization: deletes one batch of the messages (replied-to messages wait for their replies).
-- $1: organization id uuid
-- $2: batch size int
-- returns: row count
DELETE FROM messages WHERE id IN (
  SELECT m.id FROM messages m
  WHERE m.conversation_id IN (SELECT id FROM conversations WHERE organization_id = $1)
    AND NOT EXISTS (SELECT 1 FROM messages r WHERE r.reply_to_id = m.id)
  LIMIT $2)
