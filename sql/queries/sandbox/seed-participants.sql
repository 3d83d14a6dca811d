-- Adds participants: project members to project conversations, team members to team ones, everyone to General.
INSERT INTO conversation_participants (conversation_id, user_id, role, is_muted, last_read_at)
SELECT c.id, x.user_id, CASE WHEN x.user_id = c.created_by THEN 'owner' ELSE 'member' END, random() < 0.1, now() - random() * interval '10 days'
FROM conversations c
CROSS JOIN LATERAL (
  SELECT user_id FROM project_members WHERE project_id = c.project_id
  UNION SELECT user_id FROM team_members WHERE team_id = c.team_id
  UNION SELECT user_id FROM organization_members WHERE c.type = 'group' AND organization_id = c.organization_id
) x
ON CONFLICT DO NOTHING
