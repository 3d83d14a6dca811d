-- `fluxadmin search messages`: the messages that match a full-text query and the search filters,
-- shared by the page query and the count query. A plain SQL function, so PostgreSQL inlines it into
-- the calling query: the match condition below is the expression of idx_messages_content_search, and
-- NULL filters fold away when the caller passes constants. The organization filter goes through
-- conversations.organization_id: its conversations are collected once (idx_conversations_organization)
-- into an array, so the planner can AND a bitmap of idx_messages_conversation with the GIN bitmap
-- (`IN (SELECT ...)` makes it probe the GIN index once per conversation instead).
CREATE FUNCTION search_message_hits(p_query tsquery, p_org uuid, p_conversation uuid, p_author uuid,
                                    p_since timestamptz, p_until timestamptz, p_type text, p_include_deleted boolean)
RETURNS SETOF messages
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT m.*
  FROM messages m
  WHERE to_tsvector('english', m.content) @@ p_query
    AND (p_org IS NULL OR m.conversation_id = ANY (ARRAY(SELECT c.id FROM conversations c WHERE c.organization_id = p_org)))
    AND (p_conversation IS NULL OR m.conversation_id = p_conversation)
    AND (p_author IS NULL OR m.author_id = p_author)
    AND (p_since IS NULL OR m.created_at >= p_since)
    AND (p_until IS NULL OR m.created_at < p_until)
    AND (p_type IS NULL OR m.message_type = p_type)
    AND (p_include_deleted OR m.deleted_at IS NULL)
$$;
