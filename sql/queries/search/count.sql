-- Number of messages matching a websearch query and the same filters as search/messages.
-- $1: query text (websearch syntax)
-- $2: organization_id uuid (NULL: every organization)
-- $3: conversation_id uuid (NULL: every conversation)
-- $4: author_id uuid (NULL: every author)
-- $5: since timestamptz (NULL: no lower bound; inclusive)
-- $6: until timestamptz (NULL: no upper bound; exclusive)
-- $7: message_type text (NULL: every type)
-- $8: include_deleted boolean
-- returns: matches bigint
SELECT count(*) AS matches
FROM search_message_hits(websearch_to_tsquery('english', $1::text), $2::uuid, $3::uuid, $4::uuid, $5::timestamptz, $6::timestamptz, $7::text, $8::boolean)
