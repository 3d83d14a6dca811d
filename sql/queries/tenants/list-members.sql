-- An organization's members with role, type, status and the teams they belong to in it.
-- $1: organization id uuid
-- $2: role text or null
-- returns: user_id, email, name, role, user_type, is_active, teams text[], joined_at
SELECT u.id AS user_id, u.email, u.name, m.role, u.user_type, coalesce(u.is_active, true) AS is_active,
       coalesce((SELECT array_agg(t.slug ORDER BY t.slug) FROM team_members tm JOIN teams t ON t.id = tm.team_id
                 WHERE tm.user_id = u.id AND t.organization_id = $1), '{}') AS teams,
       m.created_at AS joined_at
FROM organization_members m
JOIN users u ON u.id = m.user_id
WHERE m.organization_id = $1 AND ($2::text IS NULL OR m.role = $2::text)
ORDER BY u.email
