-- Fills the stored vector of the messages of one batch that have content and no vector yet (the trigger fills the rows written meanwhile).
-- requires: search accelerator (messages.search_vector)
-- $1: after uuid (the batch starts after this id; NULL: from the start)
-- $2: last uuid (the batch's last id, inclusive)
-- returns: nothing (rowCount: rows filled)
UPDATE messages
SET search_vector = to_tsvector('english', content)
WHERE ($1::uuid IS NULL OR id > $1::uuid) AND id <= $2::uuid AND search_vector IS NULL AND content IS NOT NULL
