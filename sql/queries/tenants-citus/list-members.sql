-- tenants/list-members for the distributed layout on Citus: each member's teams come from team_members joined to teams on organization_id, on the organization's shard.
-- $1: organization id uuid
-- $2: role text or null
-- returns: user_id, email, name, role, user_type, is_active, teams text[], joined_at
-- requires: the distributed layout (db distribute)
SELECT u.id AS user_id, u.email, u.name, m.role, u.user_type, coalesce(u.is_active, true) AS is_active,
       coalesce(ts.teams, '{}') AS teams, m.created_at AS joined_at
FROM organization_members m
JOIN users u ON u.id = m.user_id
LEFT JOIN (SELECT tm.organization_id, tm.user_id, array_agg(t.slug ORDER BY t.slug) AS teams
           FROM team_members tm JOIN teams t ON t.organization_id = tm.organization_id AND t.id = tm.team_id
           WHERE tm.organization_id = $1 GROUP BY 1, 2) ts ON ts.organization_id = m.organization_id AND ts.user_id = m.user_id
WHERE m.organization_id = $1 AND ($2::text IS NULL OR m.role = $2::text)
ORDER BY u.email
