-- The raw messages of an organization (or all), oldest first, with organization, conversation and author email, for compliance exports.
-- $1: org_id uuid (only this organization; all when absent)
-- $2: since timestamptz (messages created at or after; default all)
-- $3: until timestamptz (messages created before; default all)
-- returns: message_id uuid, created_at timestamptz, organization_slug text, conversation_id uuid, conversation_name text, author_email text, message_type text, priority text, status text, reply_to_id uuid, thread_id uuid, content text, mentions jsonb, attachments jsonb, metadata jsonb, edited_at timestamptz, deleted_at timestamptz
-- requires: the distributed layout (db distribute)
SELECT m.id AS message_id, m.created_at, o.slug::text AS organization_slug, m.conversation_id, c.name::text AS conversation_name,
       u.email::text AS author_email, m.message_type::text AS message_type, m.priority::text AS priority, m.status::text AS status,
       m.reply_to_id, m.thread_id, m.content, to_jsonb(m.mentions) AS mentions, m.attachments, m.metadata, m.edited_at, m.deleted_at
FROM messages m
JOIN conversations c ON c.organization_id = m.organization_id AND c.id = m.conversation_id
JOIN organizations o ON o.id = m.organization_id
JOIN users u ON u.id = m.author_id
WHERE m.created_at >= COALESCE($2::timestamptz, '-infinity') AND m.created_at < COALESCE($3::timestamptz, 'infinity')
  AND ($1::uuid IS NULL OR m.organization_id = $1::uuid)
ORDER BY created_at, message_id
