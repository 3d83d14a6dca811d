-- One organization's profile with its members (email and role) and teams (slug and member count) (Citus form: every tenant table filtered by organization_id, so each subquery goes to the organization's shard).
-- $1: organization id uuid
-- returns: description, contact_email, website, settings, members jsonb, team_list jsonb, updated_at
-- requires: the distributed layout (db distribute)
WITH members AS MATERIALIZED (
  SELECT m.user_id, m.role FROM organization_members m WHERE m.organization_id = $1::uuid
), teams AS MATERIALIZED (
  SELECT t.slug, (SELECT count(*) FROM team_members tm WHERE tm.organization_id = t.organization_id AND tm.team_id = t.id) AS members
  FROM teams t WHERE t.organization_id = $1::uuid
)
SELECT o.description, o.contact_email, o.website, o.settings,
       coalesce((SELECT jsonb_agg(jsonb_build_object('email', u.email, 'role', m.role) ORDER BY u.email)
                 FROM members m JOIN users u ON u.id = m.user_id), '[]') AS member_list,
       coalesce((SELECT jsonb_agg(jsonb_build_object('slug', t.slug, 'members', t.members) ORDER BY t.slug) FROM teams t), '[]') AS team_list,
       o.updated_at
FROM organizations o
WHERE o.id = $1::uuid
