-- The schema document's recommended indexes, verbatim.
CREATE INDEX idx_messages_content_search ON messages
USING GIN (to_tsvector('english', content));

CREATE INDEX idx_projects_org_status ON projects(organization_id, status);

CREATE INDEX idx_files_parent ON files(parent_file_id) WHERE parent_file_id IS NOT NULL;

CREATE INDEX idx_notifications_unread ON notifications(user_id, is_read)
WHERE is_read = FALSE;

CREATE INDEX idx_conversation_participants_active
ON conversation_participants(user_id, conversation_id)
WHERE is_muted = FALSE;
