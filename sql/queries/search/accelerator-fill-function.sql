-- The trigger function that keeps messages.search_vector equal to the indexed expression of the content.
-- requires: search accelerator (messages.search_vector)
-- returns: nothing
CREATE OR REPLACE FUNCTION fluxadmin.fill_message_search_vector() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  NEW.search_vector := to_tsvector('english', NEW.content);
  RETURN NEW;
END
$$
