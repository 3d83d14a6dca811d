-- Streams the messages of the organization's conversations: the contract's columns by name (never the opt-in search_vector of `search accelerate`).
-- requires: lifecycle/set-scope in the same transaction
-- returns: COPY text rows of messages, the contract's columns, ordered by id
COPY (SELECT id, conversation_id, author_id, content, message_type, priority, status, reply_to_id, thread_id, mentions, attachments, metadata, edited_at, deleted_at, created_at FROM messages t WHERE t.conversation_id IN (SELECT id FROM conversations WHERE organization_id = current_setting('fluxadmin.lifecycle_org')::uuid) ORDER BY t.id) TO STDOUT
