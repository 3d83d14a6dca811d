-- Rows of tables distributed by organization_id that have none (projects, notifications): Citus cannot place them.
-- returns: table_name text, id uuid, detail text
SELECT 'projects' AS table_name, id, format('project %s (%s)', slug, name) AS detail FROM projects WHERE organization_id IS NULL
UNION ALL
SELECT 'notifications', id, format('notification %s for user %s', title, user_id) FROM notifications WHERE organization_id IS NULL
ORDER BY 1, 2
