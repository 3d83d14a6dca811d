-- Streams the organization's projects.
-- requires: lifecycle/set-scope in the same transaction
-- returns: COPY text rows of projects, every column, ordered by id
COPY (SELECT t.* FROM projects t WHERE t.organization_id = current_setting('fluxadmin.lifecycle_org')::uuid ORDER BY t.id) TO STDOUT
