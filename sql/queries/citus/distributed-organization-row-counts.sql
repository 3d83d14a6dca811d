-- Rows per organization of every tenant table in the distributed layout (each has organization_id), for the proof of db distribute.
-- returns: table_name text, organization_id uuid, row_count bigint
-- requires: the distributed layout (db distribute)
SELECT 'organizations' AS table_name, id AS organization_id, 1::bigint AS row_count FROM organizations
UNION ALL SELECT 'organization_members', organization_id, count(*) FROM organization_members GROUP BY 2
UNION ALL SELECT 'teams', organization_id, count(*) FROM teams GROUP BY 2
UNION ALL SELECT 'team_members', organization_id, count(*) FROM team_members GROUP BY 2
UNION ALL SELECT 'projects', organization_id, count(*) FROM projects GROUP BY 2
UNION ALL SELECT 'project_members', organization_id, count(*) FROM project_members GROUP BY 2
UNION ALL SELECT 'files', organization_id, count(*) FROM files GROUP BY 2
UNION ALL SELECT 'conversations', organization_id, count(*) FROM conversations GROUP BY 2
UNION ALL SELECT 'conversation_participants', organization_id, count(*) FROM conversation_participants GROUP BY 2
UNION ALL SELECT 'messages', organization_id, count(*) FROM messages GROUP BY 2
UNION ALL SELECT 'notifications', organization_id, count(*) FROM notifications GROUP BY 2
ORDER BY 1, 2
