-- Revokes the active refresh tokens of an organization's members who belong to no other active organization.
-- $1: organization id uuid
-- returns: id uuid (token), user_id uuid, email text
UPDATE refresh_tokens r
SET revoked_at = now()
FROM users u
WHERE u.id = r.user_id
  AND r.revoked_at IS NULL AND r.expires_at > now()
  AND r.user_id IN (SELECT m.user_id FROM organization_members m WHERE m.organization_id = $1)
  AND NOT EXISTS (
    SELECT 1 FROM organization_members m2 JOIN organizations o2 ON o2.id = m2.organization_id
    WHERE m2.user_id = r.user_id AND m2.organization_id <> $1
      AND coalesce(o2.subscription_status, 'active') NOT IN ('suspended', 'cancelled'))
RETURNING r.id, r.user_id, u.email
