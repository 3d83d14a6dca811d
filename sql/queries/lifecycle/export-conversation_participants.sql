-- Streams the participants of the organization's conversations.
-- requires: lifecycle/set-scope in the same transaction
-- returns: COPY text rows of conversation_participants, every column, ordered by id
COPY (SELECT t.* FROM conversation_participants t WHERE t.conversation_id IN (SELECT id FROM conversations WHERE organization_id = current_setting('fluxadmin.lifecycle_org')::uuid) ORDER BY t.id) TO STDOUT
