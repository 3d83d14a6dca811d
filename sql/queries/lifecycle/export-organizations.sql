-- Streams the organization's own row.
-- requires: lifecycle/set-scope in the same transaction
-- returns: COPY text rows of organizations, every column, ordered by id
COPY (SELECT t.* FROM organizations t WHERE t.id = current_setting('fluxadmin.lifecycle_org')::uuid ORDER BY t.id) TO STDOUT
