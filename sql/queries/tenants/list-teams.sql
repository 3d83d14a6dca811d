-- An organization's teams with member and project counts and their members (email, role).
-- $1: organization id uuid
-- $2: team id uuid or null (one team)
-- returns: id, slug, name, description, members bigint, projects bigint, member_list jsonb, created_at
SELECT t.id, t.slug, t.name, t.description,
       (SELECT count(*) FROM team_members tm WHERE tm.team_id = t.id) AS members,
       (SELECT count(*) FROM projects p WHERE p.team_id = t.id) AS projects,
       coalesce((SELECT jsonb_agg(jsonb_build_object('email', u.email, 'role', tm.role) ORDER BY u.email)
                 FROM team_members tm JOIN users u ON u.id = tm.user_id WHERE tm.team_id = t.id), '[]') AS member_list,
       t.created_at
FROM teams t
WHERE t.organization_id = $1 AND ($2::uuid IS NULL OR t.id = $2::uuid)
ORDER BY t.slug
