-- One organization's profile with its members (email and role) and teams (slug and member count).
-- $1: organization id uuid
-- returns: description, contact_email, website, settings, members jsonb, team_list jsonb, updated_at
SELECT o.description, o.contact_email, o.website, o.settings,
       coalesce((SELECT jsonb_agg(jsonb_build_object('email', u.email, 'role', m.role) ORDER BY u.email)
                 FROM organization_members m JOIN users u ON u.id = m.user_id WHERE m.organization_id = o.id), '[]') AS member_list,
       coalesce((SELECT jsonb_agg(jsonb_build_object('slug', t.slug, 'members', (SELECT count(*) FROM team_members tm WHERE tm.team_id = t.id)) ORDER BY t.slug)
                 FROM teams t WHERE t.organization_id = o.id), '[]') AS team_list,
       o.updated_at
FROM organizations o
WHERE o.id = $1
