-- Organizations with the most messages and file uploads in the last 5 minutes and the last hour.
-- $1: limit int
-- returns: organization_id uuid, slug text, name text, messages_5m bigint, messages_1h bigint, files_5m bigint, files_1h bigint
WITH m AS (
  SELECT c.organization_id,
         count(*) FILTER (WHERE m.created_at >= now() - interval '5 minutes') AS n5,
         count(*) AS n60
  FROM messages m
  JOIN conversations c ON c.id = m.conversation_id
  WHERE m.created_at >= now() - interval '1 hour'
  GROUP BY c.organization_id
), f AS (
  SELECT organization_id,
         count(*) FILTER (WHERE created_at >= now() - interval '5 minutes') AS n5,
         count(*) AS n60
  FROM files
  WHERE created_at >= now() - interval '1 hour'
  GROUP BY organization_id
)
SELECT o.id AS organization_id,
       o.slug::text AS slug,
       o.name::text AS name,
       coalesce(m.n5, 0) AS messages_5m,
       coalesce(m.n60, 0) AS messages_1h,
       coalesce(f.n5, 0) AS files_5m,
       coalesce(f.n60, 0) AS files_1h
FROM m
FULL JOIN f USING (organization_id)
JOIN organizations o ON o.id = coalesce(m.organization_id, f.organization_id)
ORDER BY coalesce(m.n5, 0) + coalesce(f.n5, 0) DESC, coalesce(m.n60, 0) + coalesce(f.n60, 0) DESC, o.slug
LIMIT $1::int
