-- Adds a user to an organization with a role; no row when already a member.
-- $1: organization id uuid
-- $2: user id uuid
-- $3: role text
-- returns: id uuid, role text
INSERT INTO organization_members (organization_id, user_id, role)
VALUES ($1, $2, $3)
ON CONFLICT (organization_id, user_id) DO NOTHING
RETURNING id, role
