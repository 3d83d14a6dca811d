-- Messages matching a websearch query, ranked (ts_rank_cd over fluxadmin.message_search_vector: the stored vector once `search accelerate` is complete) or newest first, one keyset page, with a highlighted snippet.
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
SELECT h.id AS message_id, h.created_at, o.slug::text AS org, h.conversation_id AS conversation, u.email::text AS author,
       ts_headline('english', h.content, websearch_to_tsquery('english', $1::text),
                   'MaxFragments=2, MaxWords=20, MinWords=6, FragmentDelimiter="' || d.delimiter || '", StartSel="' || replace($14::text, '"', '') || '", StopSel="' || replace($15::text, '"', '') || '"') AS snippet,
       ts_rank_cd(to_tsvector('english', h.content), websearch_to_tsquery('english', $1::text)) AS rank,
       h.sort_rank,
       (extract(epoch FROM h.created_at) * 1000000)::bigint AS created_us
FROM (
  SELECT m.id, m.created_at, m.conversation_id, m.author_id, m.content, k.sort_rank, k.sort_at
  FROM search_message_hits(websearch_to_tsquery('english', $1::text), $2::uuid, $3::uuid, $4::uuid, $5::timestamptz, $6::timestamptz, $7::text, $8::boolean) m
  CROSS JOIN LATERAL (
    SELECT CASE WHEN $9::text = 'rank' THEN ts_rank_cd(fluxadmin.message_search_vector(m), websearch_to_tsquery('english', $1::text)) ELSE 0 END::real AS sort_rank,
           coalesce(m.created_at, '-infinity') AS sort_at
  ) k
  WHERE ($12::uuid IS NULL
         OR (k.sort_rank, k.sort_at, m.id) < ($10::real, coalesce(timestamptz 'epoch' + $11::bigint * interval '1 microsecond', '-infinity'), $12::uuid))
  ORDER BY k.sort_rank DESC, k.sort_at DESC, m.id DESC
  LIMIT $13::int
) h
JOIN conversations c ON c.id = h.conversation_id
JOIN organizations o ON o.id = c.organization_id
JOIN users u ON u.id = h.author_id
-- An ellipsis only where the database can hold one (UTF8): LATIN1 and others have no form of it
-- (22P05 for a literal in this text). convert_from is STABLE, so the planner does not fold it in a
-- database where it would fail (chr(8230) is folded, and fails, whichever branch is taken).
CROSS JOIN (SELECT CASE WHEN getdatabaseencoding() = 'UTF8' THEN ' ' || convert_from('\xe280a6'::bytea, 'UTF8') || ' ' ELSE ' ... ' END AS delimiter) d
ORDER BY h.sort_rank DESC, h.sort_at DESC, h.id DESC
