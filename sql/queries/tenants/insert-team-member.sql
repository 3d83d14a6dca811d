-- Adds an organization member to one of its teams; no row when already in the team or not a member of the organization.
-- $1: team id uuid
-- $2: user id uuid
-- $3: role text (lead or member)
-- returns: id uuid, role text
INSERT INTO team_members (team_id, user_id, role)
SELECT t.id, $2, $3
FROM teams t
WHERE t.id = $1
  AND EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = t.organization_id AND m.user_id = $2)
ON CONFLICT (team_id, user_id) DO NOTHING
RETURNING id, role
