-- Adds the manager, the client and a few members of the organization to each project.
INSERT INTO project_members (project_id, user_id, role)
SELECT p.id, x.user_id, x.role
FROM projects p
CROSS JOIN LATERAL (
  SELECT p.manager_id AS user_id, 'manager' AS role
  UNION ALL SELECT p.client_id, 'client' WHERE p.client_id IS NOT NULL
  UNION ALL (SELECT m.user_id, 'contributor' FROM organization_members m WHERE m.organization_id = p.organization_id ORDER BY md5(m.user_id::text || p.id::text) LIMIT 4)
) x
ON CONFLICT DO NOTHING
