-- search/count for the distributed layout on Citus: the match of search-citus/messages written out, by organization on messages.organization_id (one shard with an organization).
-- $1: query text (websearch syntax)
-- $2: organization_id uuid (NULL: every organization)
-- $3: conversation_id uuid (NULL: every conversation)
-- $4: author_id uuid (NULL: every author)
-- $5: since timestamptz (NULL: no lower bound; inclusive)
-- $6: until timestamptz (NULL: no upper bound; exclusive)
-- $7: message_type text (NULL: every type)
-- $8: include_deleted boolean
-- returns: matches bigint
-- requires: the distributed layout (db distribute)
SELECT count(*) AS matches
FROM messages m
WHERE to_tsvector('english', m.content) @@ websearch_to_tsquery('english', $1::text)
  AND ($2::uuid IS NULL OR m.organization_id = $2::uuid)
  AND ($3::uuid IS NULL OR m.conversation_id = $3::uuid)
  AND ($4::uuid IS NULL OR m.author_id = $4::uuid)
  AND ($5::timestamptz IS NULL OR m.created_at >= $5::timestamptz)
  AND ($6::timestamptz IS NULL OR m.created_at < $6::timestamptz)
  AND ($7::text IS NULL OR m.message_type = $7::text)
  AND ($8::boolean OR m.deleted_at IS NULL)
