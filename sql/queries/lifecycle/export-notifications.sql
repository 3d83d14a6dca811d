-- Streams the notifications of the organization's scope.
-- requires: lifecycle/set-scope in the same transaction
-- returns: COPY text rows of notifications, every column, ordered by id
COPY (SELECT t.* FROM notifications t WHERE t.organization_id = current_setting('fluxadmin.lifecycle_org')::uuid ORDER BY t.id) TO STDOUT
