-- Removes the trigger function of the accelerator.
-- returns: nothing
DROP FUNCTION IF EXISTS fluxadmin.fill_message_search_vector()
