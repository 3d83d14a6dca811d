-- Streams the organization's file metadata (not the stored objects).
-- requires: lifecycle/set-scope in the same transaction
-- returns: COPY text rows of files, every column, ordered by id
COPY (SELECT t.* FROM files t WHERE t.organization_id = current_setting('fluxadmin.lifecycle_org')::uuid ORDER BY t.id) TO STDOUT
