-- Locks an organization's owner rows (in id order, so that concurrent removals queue instead of deadlocking) before a removal or a demotion.
-- $1: organization id uuid
-- returns: user_id uuid
SELECT user_id FROM organization_members WHERE organization_id = $1::uuid AND role = 'owner' ORDER BY id FOR UPDATE
