-- A project's members with their role and when they were added.
-- $1: project id uuid
-- returns: user_id uuid, email text, name text, role text, added_at timestamptz
SELECT u.id AS user_id, u.email, u.name, pm.role, pm.created_at AS added_at
FROM project_members pm
JOIN users u ON u.id = pm.user_id
WHERE pm.project_id = $1
ORDER BY u.email
