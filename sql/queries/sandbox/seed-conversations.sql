-- Creates a conversation per project and per team, and one general conversation per organization.
INSERT INTO conversations (id, organization_id, project_id, team_id, name, type, created_by, created_at)
SELECT uuid_generate_v5(id, 'conversation'), organization_id, id, NULL, name, 'project', manager_id, created_at FROM projects
UNION ALL
SELECT uuid_generate_v5(id, 'conversation'), organization_id, NULL, id, name, 'team', created_by, created_at FROM teams
UNION ALL
SELECT uuid_generate_v5(id, 'conversation'), id, NULL, NULL, 'General', 'group', created_by, created_at FROM organizations
