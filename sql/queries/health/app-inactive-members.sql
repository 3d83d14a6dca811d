-- Organization memberships and team memberships that point at inactive users.
-- returns: value numeric (memberships), detail text
WITH bad AS (
  SELECT 'organization' AS kind, m.user_id FROM organization_members m JOIN users u ON u.id = m.user_id WHERE u.is_active IS FALSE
  UNION ALL
  SELECT 'team', tm.user_id FROM team_members tm JOIN users u ON u.id = tm.user_id WHERE u.is_active IS FALSE
)
SELECT count(*)::numeric AS value,
       CASE WHEN count(*) = 0 THEN 'no memberships of inactive users'
            ELSE format('%s organization and %s team membership(s) of %s inactive user(s)', count(*) FILTER (WHERE kind = 'organization'),
                        count(*) FILTER (WHERE kind = 'team'), count(DISTINCT user_id)) END AS detail
FROM bad
