-- tenants/list-teams for the distributed layout on Citus: member and project counts aggregated per team on the organization's shard and joined on (organization_id, team).
-- $1: organization id uuid
-- $2: team id uuid or null (one team)
-- returns: id, slug, name, description, members bigint, projects bigint, member_list jsonb, created_at
-- requires: the distributed layout (db distribute)
SELECT t.id, t.slug, t.name, t.description, coalesce(tm.members, 0) AS members, coalesce(p.n, 0) AS projects,
       coalesce(tm.member_list, '[]') AS member_list, t.created_at
FROM teams t
LEFT JOIN (SELECT x.organization_id, x.team_id, count(*) AS members,
                  jsonb_agg(jsonb_build_object('email', u.email, 'role', x.role) ORDER BY u.email) AS member_list
           FROM team_members x JOIN users u ON u.id = x.user_id WHERE x.organization_id = $1 GROUP BY 1, 2) tm
  ON tm.organization_id = t.organization_id AND tm.team_id = t.id
LEFT JOIN (SELECT organization_id, team_id, count(*) AS n FROM projects WHERE organization_id = $1 GROUP BY 1, 2) p
  ON p.organization_id = t.organization_id AND p.team_id = t.id
WHERE t.organization_id = $1 AND ($2::uuid IS NULL OR t.id = $2::uuid)
ORDER BY t.slug
