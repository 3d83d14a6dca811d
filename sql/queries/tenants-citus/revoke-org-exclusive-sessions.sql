-- tenants/revoke-org-exclusive-sessions for the distributed layout on Citus: the members to revoke are found first (a CTE, which Citus computes before the update), as an update of the refresh_tokens reference table may read only reference tables.
-- $1: organization id uuid
-- returns: id uuid (token), user_id uuid, email text
-- requires: the distributed layout (db distribute)
WITH exclusive AS MATERIALIZED (
  SELECT user_id FROM organization_members WHERE organization_id = $1
  EXCEPT
  SELECT m2.user_id FROM organization_members m2 JOIN organizations o2 ON o2.id = m2.organization_id
  WHERE m2.organization_id <> $1 AND coalesce(o2.subscription_status, 'active') NOT IN ('suspended', 'cancelled')
)
UPDATE refresh_tokens r
SET revoked_at = now()
FROM users u
WHERE u.id = r.user_id
  AND r.revoked_at IS NULL AND r.expires_at > now()
  AND r.user_id IN (SELECT user_id FROM exclusive)
RETURNING r.id, r.user_id, u.email
