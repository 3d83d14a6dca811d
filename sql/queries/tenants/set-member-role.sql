-- Changes a member's role in an organization; returns the old and new role (no row when not a member).
-- $1: organization id uuid
-- $2: user id uuid
-- $3: role text
-- returns: id uuid, before text, after text
UPDATE organization_members m
SET role = $3
FROM organization_members old
WHERE old.id = m.id AND m.organization_id = $1 AND m.user_id = $2
RETURNING m.id, old.role AS before, m.role AS after
