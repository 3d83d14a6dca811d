-- Puts each member of an organization in one of its teams; the first of each team leads it.
INSERT INTO team_members (team_id, user_id, role)
SELECT DISTINCT ON (t.id, m.user_id) t.id, m.user_id, CASE WHEN m.role IN ('owner', 'admin') THEN 'lead' ELSE 'member' END
FROM organization_members m
JOIN LATERAL (
  SELECT id FROM teams WHERE organization_id = m.organization_id
  ORDER BY md5(id::text || m.user_id::text) LIMIT 1
) t ON true
ON CONFLICT DO NOTHING
