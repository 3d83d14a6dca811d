-- Ranking computes the vector from the content again (as migration 060 defines it): for --undo, before the column goes.
-- returns: nothing
CREATE OR REPLACE FUNCTION fluxadmin.message_search_vector(m messages) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT to_tsvector('english', m.content) $$
