-- Streams the organization's memberships.
-- requires: lifecycle/set-scope in the same transaction
-- returns: COPY text rows of organization_members, every column, ordered by id
COPY (SELECT t.* FROM organization_members t WHERE t.organization_id = current_setting('fluxadmin.lifecycle_org')::uuid ORDER BY t.id) TO STDOUT
