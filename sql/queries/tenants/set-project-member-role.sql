-- Changes a project member's role; returns the old and new role (no row when not a member).
-- $1: project id uuid
-- $2: user id uuid
-- $3: role text
-- returns: id uuid, before text, after text
UPDATE project_members pm
SET role = $3
FROM project_members old
WHERE old.id = pm.id AND pm.project_id = $1 AND pm.user_id = $2
RETURNING pm.id, old.role AS before, pm.role AS after
