-- Fills the stored vector of every inserted message and of every message whose content changes.
-- requires: search accelerator (messages.search_vector)
-- returns: nothing
CREATE OR REPLACE TRIGGER search_vector_fill BEFORE INSERT OR UPDATE OF content ON messages
FOR EACH ROW EXECUTE FUNCTION fluxadmin.fill_message_search_vector()
