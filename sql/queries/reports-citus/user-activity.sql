-- Users with their last login, organization memberships, messages and files in the window; activity is active, inactive (no login in the window), never_logged_in or disabled.
-- $1: org_id uuid (only members of this organization, counting its messages and files; all when absent)
-- $2: since timestamptz (window start; default 30d)
-- $3: until timestamptz (window end, exclusive; default now)
-- returns: email text, name text, user_type text, activity text, last_login_at timestamptz, created_at timestamptz, organizations text, messages bigint, files bigint
-- requires: the distributed layout (db distribute)
WITH win AS (
  SELECT COALESCE($2::timestamptz, '-infinity') AS since, COALESCE($3::timestamptz, 'infinity') AS until
), scoped AS (
  SELECT u.* FROM users u
  WHERE $1::uuid IS NULL OR u.id IN (SELECT om.user_id FROM organization_members om WHERE om.organization_id = $1::uuid)
), memberships AS (
  SELECT om.user_id, string_agg(o.slug, ' ' ORDER BY o.slug) AS organizations
  FROM organization_members om JOIN organizations o ON o.id = om.organization_id
  GROUP BY om.user_id
), msgs AS (
  SELECT m.author_id, count(*) AS messages
  FROM messages m CROSS JOIN win
  WHERE m.created_at >= win.since AND m.created_at < win.until AND ($1::uuid IS NULL OR m.organization_id = $1::uuid)
  GROUP BY m.author_id
), uploads AS (
  SELECT f.uploaded_by, count(*) AS files
  FROM files f CROSS JOIN win
  WHERE f.created_at >= win.since AND f.created_at < win.until AND ($1::uuid IS NULL OR f.organization_id = $1::uuid)
  GROUP BY f.uploaded_by
)
SELECT u.email::text AS email, u.name::text AS name, u.user_type::text AS user_type,
       CASE WHEN u.is_active IS FALSE THEN 'disabled'
            WHEN u.last_login IS NULL THEN 'never_logged_in'
            WHEN u.last_login >= win.since AND u.last_login < win.until THEN 'active'
            ELSE 'inactive' END AS activity,
       u.last_login AS last_login_at, u.created_at,
       COALESCE(ms.organizations, '') AS organizations,
       COALESCE(m.messages, 0) AS messages, COALESCE(f.files, 0) AS files
FROM scoped u CROSS JOIN win
LEFT JOIN memberships ms ON ms.user_id = u.id
LEFT JOIN msgs m ON m.author_id = u.id
LEFT JOIN uploads f ON f.uploaded_by = u.id
ORDER BY email
