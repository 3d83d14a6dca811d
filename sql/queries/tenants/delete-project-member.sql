-- Removes a user from a project; no row when they are not a member.
-- $1: project id uuid
-- $2: user id uuid
-- returns: id uuid, role text
DELETE FROM project_members WHERE project_id = $1 AND user_id = $2
RETURNING id, role
