-- Streams the organization's security events (metadata org_id).
-- requires: lifecycle/set-scope in the same transaction
-- returns: COPY text rows of security_events, every column, ordered by id
COPY (SELECT t.* FROM security_events t WHERE t.metadata->>'org_id' = current_setting('fluxadmin.lifecycle_org')::uuid::text ORDER BY t.id) TO STDOUT
