-- Loads the messages part of an organization archive (COPY text, the contract's columns; the trigger of `search accelerate` fills search_vector where it is on).
-- returns: row count
COPY messages (id, conversation_id, author_id, content, message_type, priority, status, reply_to_id, thread_id, mentions, attachments, metadata, edited_at, deleted_at, created_at) FROM STDIN
