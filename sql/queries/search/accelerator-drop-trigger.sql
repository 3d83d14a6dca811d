-- Removes the trigger that fills the stored vector.
-- returns: nothing
DROP TRIGGER IF EXISTS search_vector_fill ON messages
