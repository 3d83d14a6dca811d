-- Rows a purge of one organization deletes, per table (users: members who belong to no other organization).
-- $1: organization id uuid
-- returns: table_name text, row_count bigint
SELECT t.table_name, t.row_count
FROM (VALUES
  (1, 'messages', (SELECT count(*) FROM messages WHERE conversation_id IN (SELECT id FROM conversations WHERE organization_id = $1))),
  (2, 'notifications', (SELECT count(*) FROM notifications WHERE organization_id = $1)),
  (3, 'conversation_participants', (SELECT count(*) FROM conversation_participants WHERE conversation_id IN (SELECT id FROM conversations WHERE organization_id = $1))),
  (4, 'conversations', (SELECT count(*) FROM conversations WHERE organization_id = $1)),
  (5, 'files', (SELECT count(*) FROM files WHERE organization_id = $1)),
  (6, 'project_members', (SELECT count(*) FROM project_members WHERE project_id IN (SELECT id FROM projects WHERE organization_id = $1))),
  (7, 'projects', (SELECT count(*) FROM projects WHERE organization_id = $1)),
  (8, 'team_members', (SELECT count(*) FROM team_members WHERE team_id IN (SELECT id FROM teams WHERE organization_id = $1))),
  (9, 'teams', (SELECT count(*) FROM teams WHERE organization_id = $1)),
  (10, 'organization_members', (SELECT count(*) FROM organization_members WHERE organization_id = $1)),
  (11, 'security_events', (SELECT count(*) FROM security_events WHERE metadata->>'org_id' = $1::text)),
  (12, 'users', (SELECT count(*) FROM organization_members m WHERE m.organization_id = $1
                   AND NOT EXISTS (SELECT 1 FROM organization_members o WHERE o.user_id = m.user_id AND o.organization_id <> $1)))
) AS t(n, table_name, row_count)
ORDER BY t.n
