-- Messages per day (UTC) per organization in the window, with distinct authors and conversations.
-- $1: org_id uuid (only this organization; all when absent)
-- $2: since timestamptz (window start; default 30d)
-- $3: until timestamptz (window end, exclusive; default now)
-- returns: day text, organization_slug text, messages bigint, authors bigint, conversations bigint
-- requires: the distributed layout (db distribute)
SELECT (m.created_at AT TIME ZONE 'UTC')::date::text AS day, o.slug::text AS organization_slug,
       count(*) AS messages, count(DISTINCT m.author_id) AS authors, count(DISTINCT m.conversation_id) AS conversations
FROM messages m
JOIN organizations o ON o.id = m.organization_id
WHERE m.created_at >= COALESCE($2::timestamptz, '-infinity') AND m.created_at < COALESCE($3::timestamptz, 'infinity')
  AND ($1::uuid IS NULL OR m.organization_id = $1::uuid)
GROUP BY 1, 2
ORDER BY 1, 2
