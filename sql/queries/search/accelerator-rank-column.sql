-- Ranking reads the stored vector: fluxadmin.message_search_vector returns messages.search_vector.
-- requires: search accelerator (messages.search_vector)
-- returns: nothing
CREATE OR REPLACE FUNCTION fluxadmin.message_search_vector(m messages) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT m.search_vector $$
