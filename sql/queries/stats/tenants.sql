-- Per organization: messages (rows, stored bytes, content bytes, recent rows), files (count, bytes), projects and members.
-- $1: sort text (total, messages, files, projects or members; the caller checks the allow-list)
-- $2: recent_since timestamptz (messages created since then count as recent)
-- $3: limit int or null (null: every organization)
-- returns: organization_id uuid, slug text, name text, message_rows bigint, message_bytes bigint (sum of pg_column_size of the rows), content_bytes bigint (sum of octet_length(content)), recent_messages bigint, file_count bigint, file_bytes bigint (sum of file_size), project_count bigint, member_count bigint, total_bytes bigint (message_bytes + file_bytes)
WITH m AS (
    SELECT c.organization_id, count(*) AS message_rows,
           sum(pg_column_size(m.*))::bigint AS message_bytes,
           coalesce(sum(octet_length(m.content)), 0)::bigint AS content_bytes,
           count(*) FILTER (WHERE m.created_at >= $2::timestamptz) AS recent_messages
    FROM messages m
    JOIN conversations c ON c.id = m.conversation_id
    GROUP BY c.organization_id
), f AS (
    SELECT organization_id, count(*) AS file_count, sum(file_size)::bigint AS file_bytes FROM files GROUP BY organization_id
), p AS (
    SELECT organization_id, count(*) AS project_count FROM projects WHERE organization_id IS NOT NULL GROUP BY organization_id
), om AS (
    SELECT organization_id, count(*) AS member_count FROM organization_members GROUP BY organization_id
), t AS (
    SELECT o.id AS organization_id, o.slug::text AS slug, o.name::text AS name,
           coalesce(m.message_rows, 0) AS message_rows, coalesce(m.message_bytes, 0) AS message_bytes,
           coalesce(m.content_bytes, 0) AS content_bytes, coalesce(m.recent_messages, 0) AS recent_messages,
           coalesce(f.file_count, 0) AS file_count, coalesce(f.file_bytes, 0) AS file_bytes,
           coalesce(p.project_count, 0) AS project_count, coalesce(om.member_count, 0) AS member_count,
           coalesce(m.message_bytes, 0) + coalesce(f.file_bytes, 0) AS total_bytes
    FROM organizations o
    LEFT JOIN m ON m.organization_id = o.id
    LEFT JOIN f ON f.organization_id = o.id
    LEFT JOIN p ON p.organization_id = o.id
    LEFT JOIN om ON om.organization_id = o.id
)
SELECT * FROM t
ORDER BY CASE $1::text
           WHEN 'total' THEN t.total_bytes
           WHEN 'messages' THEN t.message_bytes
           WHEN 'files' THEN t.file_bytes
           WHEN 'projects' THEN t.project_count
           WHEN 'members' THEN t.member_count
         END DESC NULLS LAST,
         t.total_bytes DESC, t.slug
LIMIT $3::int
