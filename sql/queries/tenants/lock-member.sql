-- Locks a user's membership row of an organization before it is removed, so that team and project additions running at the same time are seen or refused.
-- $1: organization id uuid
-- $2: user id uuid
-- returns: id uuid (no row when not a member)
SELECT id FROM organization_members WHERE organization_id = $1::uuid AND user_id = $2::uuid FOR UPDATE
