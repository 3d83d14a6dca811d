-- References between tenant rows of two different organizations: on Citus every foreign key between tenant tables stays within one organization.
-- returns: constraint_name text, id uuid, detail text
SELECT 'projects_team_id_fkey' AS constraint_name, c.id, format('project %s (organization %s) has team %s of organization %s', c.slug, c.organization_id, p.id, p.organization_id) AS detail
FROM projects c JOIN teams p ON p.id = c.team_id WHERE p.organization_id IS DISTINCT FROM c.organization_id
UNION ALL
SELECT 'projects_template_id_fkey', c.id, format('project %s (organization %s) has template %s of organization %s', c.slug, c.organization_id, p.id, p.organization_id)
FROM projects c JOIN projects p ON p.id = c.template_id WHERE p.organization_id IS DISTINCT FROM c.organization_id
UNION ALL
SELECT 'files_parent_file_id_fkey', c.id, format('file %s (organization %s) is a version of file %s of organization %s', c.id, c.organization_id, p.id, p.organization_id)
FROM files c JOIN files p ON p.id = c.parent_file_id WHERE p.organization_id <> c.organization_id
UNION ALL
SELECT 'files_project_id_fkey', c.id, format('file %s (organization %s) is in project %s of organization %s', c.id, c.organization_id, p.id, p.organization_id)
FROM files c JOIN projects p ON p.id = c.project_id WHERE p.organization_id IS DISTINCT FROM c.organization_id
UNION ALL
SELECT 'conversations_project_id_fkey', c.id, format('conversation %s (organization %s) is in project %s of organization %s', c.id, c.organization_id, p.id, p.organization_id)
FROM conversations c JOIN projects p ON p.id = c.project_id WHERE p.organization_id IS DISTINCT FROM c.organization_id
UNION ALL
SELECT 'conversations_team_id_fkey', c.id, format('conversation %s (organization %s) is of team %s of organization %s', c.id, c.organization_id, p.id, p.organization_id)
FROM conversations c JOIN teams p ON p.id = c.team_id WHERE p.organization_id <> c.organization_id
UNION ALL
SELECT 'messages_reply_to_id_fkey', m.id, format('message %s (organization %s) replies to message %s of organization %s', m.id, mc.organization_id, r.id, rc.organization_id)
FROM messages m JOIN conversations mc ON mc.id = m.conversation_id
JOIN messages r ON r.id = m.reply_to_id JOIN conversations rc ON rc.id = r.conversation_id
WHERE rc.organization_id <> mc.organization_id
ORDER BY 1, 2
