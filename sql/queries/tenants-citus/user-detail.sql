-- tenants/user-detail for the distributed layout on Citus: organizations, teams (joined to their team on organization_id) and sessions aggregated for the one user and joined.
-- $1: user id uuid
-- returns: id, email, name, user_type, is_active, email_verified, has_password, timezone, phone, org_list jsonb, team_list jsonb, active_sessions, last_login, created_at, updated_at
-- requires: the distributed layout (db distribute)
SELECT u.id, u.email, u.name, u.user_type, coalesce(u.is_active, true) AS is_active, coalesce(u.email_verified, false) AS email_verified,
       u.password_hash IS NOT NULL AS has_password, u.timezone, u.phone,
       coalesce(ol.org_list, '[]') AS org_list, coalesce(tl.team_list, '[]') AS team_list, coalesce(s.n, 0) AS active_sessions,
       u.last_login, u.created_at, u.updated_at
FROM users u
LEFT JOIN (SELECT m.user_id, jsonb_agg(jsonb_build_object('slug', o.slug, 'role', m.role) ORDER BY o.slug) AS org_list
           FROM organization_members m JOIN organizations o ON o.id = m.organization_id WHERE m.user_id = $1 GROUP BY 1) ol ON ol.user_id = u.id
LEFT JOIN (SELECT tm.user_id, jsonb_agg(jsonb_build_object('org', o.slug, 'team', t.slug, 'role', tm.role) ORDER BY o.slug, t.slug) AS team_list
           FROM team_members tm JOIN teams t ON t.organization_id = tm.organization_id AND t.id = tm.team_id
           JOIN organizations o ON o.id = t.organization_id WHERE tm.user_id = $1 GROUP BY 1) tl ON tl.user_id = u.id
LEFT JOIN (SELECT user_id, count(*) AS n FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now() GROUP BY 1) s ON s.user_id = u.id
WHERE u.id = $1
