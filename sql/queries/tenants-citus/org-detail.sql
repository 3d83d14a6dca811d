-- tenants/org-detail for the distributed layout on Citus: the same profile, with members and teams aggregated in subqueries on the organization's shard (team members joined to their team on organization_id).
-- $1: organization id uuid
-- returns: description, contact_email, website, settings, members jsonb, team_list jsonb, updated_at
-- requires: the distributed layout (db distribute)
SELECT o.description, o.contact_email, o.website, o.settings,
       coalesce(ml.member_list, '[]') AS member_list, coalesce(tl.team_list, '[]') AS team_list, o.updated_at
FROM organizations o
LEFT JOIN (SELECT m.organization_id, jsonb_agg(jsonb_build_object('email', u.email, 'role', m.role) ORDER BY u.email) AS member_list
           FROM organization_members m JOIN users u ON u.id = m.user_id WHERE m.organization_id = $1 GROUP BY 1) ml ON ml.organization_id = o.id
LEFT JOIN (SELECT t.organization_id, jsonb_agg(jsonb_build_object('slug', t.slug, 'members', coalesce(c.n, 0)) ORDER BY t.slug) AS team_list
           FROM teams t
           LEFT JOIN (SELECT organization_id, team_id, count(*) AS n FROM team_members WHERE organization_id = $1 GROUP BY 1, 2) c
             ON c.organization_id = t.organization_id AND c.team_id = t.id
           WHERE t.organization_id = $1 GROUP BY 1) tl ON tl.organization_id = o.id
WHERE o.id = $1
