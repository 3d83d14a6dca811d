-- Streams the organization's teams.
-- requires: lifecycle/set-scope in the same transaction
-- returns: COPY text rows of teams, every column, ordered by id
COPY (SELECT t.* FROM teams t WHERE t.organization_id = current_setting('fluxadmin.lifecycle_org')::uuid ORDER BY t.id) TO STDOUT
