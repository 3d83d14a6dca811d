-- An organization's projects with status, due date, manager and member count.
-- $1: organization id uuid
-- $2: status text or null
-- returns: id uuid, slug text, name text, status text, due_date text, manager_email text, team text, members bigint
SELECT p.id, p.slug, p.name, p.status, p.due_date::text AS due_date, mgr.email AS manager_email, t.slug AS team,
       (SELECT count(*) FROM project_members pm WHERE pm.project_id = p.id) AS members
FROM projects p
JOIN users mgr ON mgr.id = p.manager_id
LEFT JOIN teams t ON t.id = p.team_id
WHERE p.organization_id = $1 AND ($2::text IS NULL OR p.status = $2::text)
ORDER BY p.slug
