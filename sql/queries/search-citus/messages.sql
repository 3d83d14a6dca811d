-- search/messages for the distributed layout on Citus: the same parameters, rows and order, with the match written out (Citus cannot plan the SQL function search_message_hits over distributed tables) and the organization filter on messages.organization_id, so that with an organization the whole query goes to one shard. Ranks on the content's vector: a shard's row type is not messages, so fluxadmin.message_search_vector(m) cannot be called there.
-- $1: query text (websearch syntax: "quoted phrase", or, -exclude)
-- $2: organization_id uuid (NULL: every organization)
-- $3: conversation_id uuid (NULL: every conversation)
-- $4: author_id uuid (NULL: every author)
-- $5: since timestamptz (NULL: no lower bound; inclusive)
-- $6: until timestamptz (NULL: no upper bound; exclusive)
-- $7: message_type text (NULL: every type)
-- $8: include_deleted boolean (false: soft-deleted messages are left out)
-- $9: sort text ('rank': best first, then newest; 'newest': newest first)
-- $10: after_rank real (keyset cursor: sort_rank of the last row of the previous page; 0 for newest)
-- $11: after_created_us bigint (keyset cursor: created_at of that row in microseconds since the epoch; NULL when it had none)
-- $12: after_id uuid (keyset cursor: id of that row; NULL: first page)
-- $13: limit int (rows to return)
-- $14: start_marker text (put before each highlighted word)
-- $15: stop_marker text (put after each highlighted word)
-- returns: message_id uuid, created_at timestamptz, org text, conversation uuid, author text, snippet text, rank real, sort_rank real, created_us bigint
-- requires: the distributed layout (db distribute)
SELECT h.id AS message_id, h.created_at, o.slug::text AS org, h.conversation_id AS conversation, u.email::text AS author,
       ts_headline('english', h.content, websearch_to_tsquery('english', $1::text),
                   'MaxFragments=2, MaxWords=20, MinWords=6, FragmentDelimiter="' || d.delimiter || '", StartSel="' || replace($14::text, '"', '') || '", StopSel="' || replace($15::text, '"', '') || '"') AS snippet,
       ts_rank_cd(to_tsvector('english', h.content), websearch_to_tsquery('english', $1::text)) AS rank,
       h.sort_rank,
       (extract(epoch FROM h.created_at) * 1000000)::bigint AS created_us
FROM (
  SELECT k.id, k.organization_id, k.created_at, k.conversation_id, k.author_id, k.content, k.sort_rank, k.sort_at
  FROM (
    SELECT m.id, m.organization_id, m.created_at, m.conversation_id, m.author_id, m.content,
           CASE WHEN $9::text = 'rank' THEN ts_rank_cd(to_tsvector('english', m.content), websearch_to_tsquery('english', $1::text)) ELSE 0 END::real AS sort_rank,
           coalesce(m.created_at, '-infinity') AS sort_at
    FROM messages m
    WHERE to_tsvector('english', m.content) @@ websearch_to_tsquery('english', $1::text)
      AND ($2::uuid IS NULL OR m.organization_id = $2::uuid)
      AND ($3::uuid IS NULL OR m.conversation_id = $3::uuid)
      AND ($4::uuid IS NULL OR m.author_id = $4::uuid)
      AND ($5::timestamptz IS NULL OR m.created_at >= $5::timestamptz)
      AND ($6::timestamptz IS NULL OR m.created_at < $6::timestamptz)
      AND ($7::text IS NULL OR m.message_type = $7::text)
      AND ($8::boolean OR m.deleted_at IS NULL)
  ) k
  WHERE ($12::uuid IS NULL
         OR (k.sort_rank, k.sort_at, k.id) < ($10::real, coalesce(timestamptz 'epoch' + $11::bigint * interval '1 microsecond', '-infinity'), $12::uuid))
  ORDER BY k.sort_rank DESC, k.sort_at DESC, k.id DESC
  LIMIT $13::int
) h
JOIN organizations o ON o.id = h.organization_id
JOIN users u ON u.id = h.author_id
-- As in search/messages: an ellipsis only where the database's encoding can hold one.
CROSS JOIN (SELECT CASE WHEN getdatabaseencoding() = 'UTF8' THEN ' ' || convert_from('\xe280a6'::bytea, 'UTF8') || ' ' ELSE ' ... ' END AS delimiter) d
ORDER BY h.sort_rank DESC, h.sort_at DESC, h.id DESC
