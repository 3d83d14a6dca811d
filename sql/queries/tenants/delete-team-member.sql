-- Removes a user from a team.
-- $1: team id uuid
-- $2: user id uuid
-- returns: id uuid, role text
DELETE FROM team_members WHERE team_id = $1 AND user_id = $2
RETURNING id, role
