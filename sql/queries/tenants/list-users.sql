-- Users with their organization count and active sessions, filtered, by email.
-- $1: search text or null (case-insensitive substring of email or name)
-- $2: user_type text or null
-- $3: organization id uuid or null (members of this organization)
-- $4: is_active boolean or null
-- $5: limit int
-- returns: id, email, name, user_type, is_active, email_verified, orgs, active_sessions, last_login, created_at
SELECT u.id, u.email, u.name, u.user_type, coalesce(u.is_active, true) AS is_active, coalesce(u.email_verified, false) AS email_verified,
       (SELECT count(*) FROM organization_members m WHERE m.user_id = u.id) AS orgs,
       (SELECT count(*) FROM refresh_tokens r WHERE r.user_id = u.id AND r.revoked_at IS NULL AND r.expires_at > now()) AS active_sessions,
       u.last_login, u.created_at
FROM users u
WHERE ($1::text IS NULL OR strpos(lower(u.email), lower($1::text)) > 0 OR strpos(lower(u.name), lower($1::text)) > 0)
  AND ($2::text IS NULL OR u.user_type = $2::text)
  AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM organization_members m WHERE m.user_id = u.id AND m.organization_id = $3::uuid))
  AND ($4::boolean IS NULL OR coalesce(u.is_active, true) = $4::boolean)
ORDER BY u.email
LIMIT $5
