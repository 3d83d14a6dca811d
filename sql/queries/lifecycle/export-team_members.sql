-- Streams the members of the organization's teams.
-- requires: lifecycle/set-scope in the same transaction
-- returns: COPY text rows of team_members, every column, ordered by id
COPY (SELECT t.* FROM team_members t WHERE t.team_id IN (SELECT id FROM teams WHERE organization_id = current_setting('fluxadmin.lifecycle_org')::uuid) ORDER BY t.id) TO STDOUT
