-- tenants/list-users for the distributed layout on Citus: organization and session counts grouped by user and joined, as Citus cannot run a correlated subquery from the users reference table.
-- $1: search text or null (case-insensitive substring of email or name)
-- $2: user_type text or null
-- $3: organization id uuid or null (members of this organization)
-- $4: is_active boolean or null
-- $5: limit int
-- returns: id, email, name, user_type, is_active, email_verified, orgs, active_sessions, last_login, created_at
-- requires: the distributed layout (db distribute)
SELECT u.id, u.email, u.name, u.user_type, coalesce(u.is_active, true) AS is_active, coalesce(u.email_verified, false) AS email_verified,
       coalesce(mo.orgs, 0) AS orgs, coalesce(s.n, 0) AS active_sessions, u.last_login, u.created_at
FROM users u
LEFT JOIN (SELECT user_id, count(*) AS orgs FROM organization_members GROUP BY 1) mo ON mo.user_id = u.id
LEFT JOIN (SELECT user_id, count(*) AS n FROM refresh_tokens WHERE revoked_at IS NULL AND expires_at > now() GROUP BY 1) s ON s.user_id = u.id
WHERE ($1::text IS NULL OR strpos(lower(u.email), lower($1::text)) > 0 OR strpos(lower(u.name), lower($1::text)) > 0)
  AND ($2::text IS NULL OR u.user_type = $2::text)
  AND ($3::uuid IS NULL OR u.id IN (SELECT m.user_id FROM organization_members m WHERE m.organization_id = $3::uuid))
  AND ($4::boolean IS NULL OR coalesce(u.is_active, true) = $4::boolean)
ORDER BY u.email
LIMIT $5
