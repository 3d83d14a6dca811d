-- Streams the members of the organization's projects.
-- requires: lifecycle/set-scope in the same transaction
-- returns: COPY text rows of project_members, every column, ordered by id
COPY (SELECT t.* FROM project_members t WHERE t.project_id IN (SELECT id FROM projects WHERE organization_id = current_setting('fluxadmin.lifecycle_org')::uuid) ORDER BY t.id) TO STDOUT
