-- Revokes refresh tokens not yet revoked: one token, all of a user, or all of an organization's members.
-- $1: token id uuid or null
-- $2: user id uuid or null
-- $3: organization id uuid or null
-- returns: id uuid (token), user_id uuid, email text
UPDATE refresh_tokens r
SET revoked_at = now()
FROM users u
WHERE u.id = r.user_id AND r.revoked_at IS NULL
  AND ($1::uuid IS NULL OR r.id = $1::uuid)
  AND ($2::uuid IS NULL OR r.user_id = $2::uuid)
  AND ($3::uuid IS NULL OR r.user_id IN (SELECT m.user_id FROM organization_members m WHERE m.organization_id = $3::uuid))
  AND ($1::uuid IS NOT NULL OR $2::uuid IS NOT NULL OR $3::uuid IS NOT NULL)
RETURNING r.id, r.user_id, u.email
