-- Streams the organization's conversations.
-- requires: lifecycle/set-scope in the same transaction
-- returns: COPY text rows of conversations, every column, ordered by id
COPY (SELECT t.* FROM conversations t WHERE t.organization_id = current_setting('fluxadmin.lifecycle_org')::uuid ORDER BY t.id) TO STDOUT
