-- Rows per organization of every tenant table on a single node (a table without organization_id counted through its parent), for the proof of db distribute.
-- returns: table_name text, organization_id uuid, row_count bigint
SELECT 'organizations' AS table_name, id AS organization_id, 1::bigint AS row_count FROM organizations
UNION ALL SELECT 'organization_members', organization_id, count(*) FROM organization_members GROUP BY 2
UNION ALL SELECT 'teams', organization_id, count(*) FROM teams GROUP BY 2
UNION ALL SELECT 'team_members', p.organization_id, count(*) FROM team_members t JOIN teams p ON p.id = t.team_id GROUP BY 2
UNION ALL SELECT 'projects', organization_id, count(*) FROM projects GROUP BY 2
UNION ALL SELECT 'project_members', p.organization_id, count(*) FROM project_members t JOIN projects p ON p.id = t.project_id GROUP BY 2
UNION ALL SELECT 'files', organization_id, count(*) FROM files GROUP BY 2
UNION ALL SELECT 'conversations', organization_id, count(*) FROM conversations GROUP BY 2
UNION ALL SELECT 'conversation_participants', p.organization_id, count(*) FROM conversation_participants t JOIN conversations p ON p.id = t.conversation_id GROUP BY 2
UNION ALL SELECT 'messages', p.organization_id, count(*) FROM messages t JOIN conversations p ON p.id = t.conversation_id GROUP BY 2
UNION ALL SELECT 'notifications', organization_id, count(*) FROM notifications GROUP BY 2
ORDER BY 1, 2
