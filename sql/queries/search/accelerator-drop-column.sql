-- Removes the stored vector column (catalog-only; the space is reclaimed as rows are rewritten or by VACUUM FULL).
-- returns: nothing
ALTER TABLE messages DROP COLUMN IF EXISTS search_vector
