-- Replaces the content of every message a user wrote (for an erasure with --messages redact); the rows stay, so threads still read.
-- $1: user id uuid
-- returns: row count
UPDATE messages SET content = '[erased]', attachments = '[]', metadata = '{}' WHERE author_id = $1
