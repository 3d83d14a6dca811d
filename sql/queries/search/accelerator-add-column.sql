-- Adds the nullable stored vector to messages: a catalog-only change (no rewrite), under a short ACCESS EXCLUSIVE lock.
-- returns: nothing
ALTER TABLE messages ADD COLUMN IF NOT EXISTS search_vector tsvector
