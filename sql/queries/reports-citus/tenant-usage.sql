-- Per organization: type, tier, status, members, active users, teams, projects by status, files and bytes, messages in the window, last activity.
-- $1: org_id uuid (only this organization; all when absent)
-- $2: since timestamptz (window start; default 30d)
-- $3: until timestamptz (window end, exclusive; default now)
-- returns: organization_slug text, organization_name text, type text, subscription_tier text, subscription_status text, members bigint, active_users bigint, teams bigint, projects_planning bigint, projects_active bigint, projects_on_hold bigint, projects_completed bigint, projects_cancelled bigint, files bigint, file_bytes bigint, messages bigint, last_activity_at timestamptz
-- requires: the distributed layout (db distribute)
WITH orgs AS (
  SELECT * FROM organizations WHERE $1::uuid IS NULL OR id = $1::uuid
), win AS (
  SELECT COALESCE($2::timestamptz, '-infinity') AS since, COALESCE($3::timestamptz, 'infinity') AS until
), members AS (
  SELECT om.organization_id, count(*) AS members,
         count(*) FILTER (WHERE u.last_login >= win.since AND u.last_login < win.until) AS active_users
  FROM organization_members om JOIN orgs ON orgs.id = om.organization_id JOIN users u ON u.id = om.user_id CROSS JOIN win
  GROUP BY om.organization_id
), teams AS (
  SELECT t.organization_id, count(*) AS teams FROM teams t JOIN orgs ON orgs.id = t.organization_id GROUP BY t.organization_id
), projects AS (
  SELECT p.organization_id,
         count(*) FILTER (WHERE p.status = 'planning') AS planning,
         count(*) FILTER (WHERE p.status = 'active') AS active,
         count(*) FILTER (WHERE p.status = 'on-hold') AS on_hold,
         count(*) FILTER (WHERE p.status = 'completed') AS completed,
         count(*) FILTER (WHERE p.status = 'cancelled') AS cancelled
  FROM projects p JOIN orgs ON orgs.id = p.organization_id
  GROUP BY p.organization_id
), files AS (
  SELECT f.organization_id, count(*) AS files, sum(f.file_size) AS bytes, max(f.created_at) AS last_upload
  FROM files f JOIN orgs ON orgs.id = f.organization_id
  GROUP BY f.organization_id
), messages AS (
  SELECT m.organization_id,
         count(*) FILTER (WHERE m.created_at >= win.since AND m.created_at < win.until) AS messages,
         max(m.created_at) AS last_message
  FROM messages m JOIN orgs ON orgs.id = m.organization_id CROSS JOIN win
  GROUP BY m.organization_id
)
SELECT o.slug::text AS organization_slug, o.name::text AS organization_name, o.type::text AS type,
       o.subscription_tier::text AS subscription_tier, o.subscription_status::text AS subscription_status,
       COALESCE(mb.members, 0) AS members, COALESCE(mb.active_users, 0) AS active_users, COALESCE(t.teams, 0) AS teams,
       COALESCE(p.planning, 0) AS projects_planning, COALESCE(p.active, 0) AS projects_active, COALESCE(p.on_hold, 0) AS projects_on_hold,
       COALESCE(p.completed, 0) AS projects_completed, COALESCE(p.cancelled, 0) AS projects_cancelled,
       COALESCE(f.files, 0) AS files, COALESCE(f.bytes, 0)::bigint AS file_bytes, COALESCE(ms.messages, 0) AS messages,
       NULLIF(GREATEST(COALESCE(ms.last_message, '-infinity'), COALESCE(f.last_upload, '-infinity')), '-infinity') AS last_activity_at
FROM orgs o
LEFT JOIN members mb ON mb.organization_id = o.id
LEFT JOIN teams t ON t.organization_id = o.id
LEFT JOIN projects p ON p.organization_id = o.id
LEFT JOIN files f ON f.organization_id = o.id
LEFT JOIN messages ms ON ms.organization_id = o.id
ORDER BY organization_slug
