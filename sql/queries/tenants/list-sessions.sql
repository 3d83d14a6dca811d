-- Active refresh tokens (not expired, not revoked) of a user, of an organization's members, or of everyone.
-- $1: user id uuid or null
-- $2: organization id uuid or null
-- $3: limit int
-- returns: id uuid, user_id uuid, email text, device_info jsonb, ip_address text, created_at, expires_at
SELECT r.id, r.user_id, u.email, r.device_info, r.ip_address, r.created_at, r.expires_at
FROM refresh_tokens r
JOIN users u ON u.id = r.user_id
WHERE r.revoked_at IS NULL AND r.expires_at > now()
  AND ($1::uuid IS NULL OR r.user_id = $1::uuid)
  AND ($2::uuid IS NULL OR r.user_id IN (SELECT m.user_id FROM organization_members m WHERE m.organization_id = $2::uuid))
ORDER BY r.created_at DESC, r.id
LIMIT $3
