-- One user's profile with organizations (slug, role), teams and active session count.
-- $1: user id uuid
-- returns: id, email, name, user_type, is_active, email_verified, has_password, timezone, phone, org_list jsonb, team_list jsonb, active_sessions, last_login, created_at, updated_at
SELECT u.id, u.email, u.name, u.user_type, coalesce(u.is_active, true) AS is_active, coalesce(u.email_verified, false) AS email_verified,
       u.password_hash IS NOT NULL AS has_password, u.timezone, u.phone,
       coalesce((SELECT jsonb_agg(jsonb_build_object('slug', o.slug, 'role', m.role) ORDER BY o.slug)
                 FROM organization_members m JOIN organizations o ON o.id = m.organization_id WHERE m.user_id = u.id), '[]') AS org_list,
       coalesce((SELECT jsonb_agg(jsonb_build_object('org', o.slug, 'team', t.slug, 'role', tm.role) ORDER BY o.slug, t.slug)
                 FROM team_members tm JOIN teams t ON t.id = tm.team_id JOIN organizations o ON o.id = t.organization_id WHERE tm.user_id = u.id), '[]') AS team_list,
       (SELECT count(*) FROM refresh_tokens r WHERE r.user_id = u.id AND r.revoked_at IS NULL AND r.expires_at > now()) AS active_sessions,
       u.last_login, u.created_at, u.updated_at
FROM users u
WHERE u.id = $1
