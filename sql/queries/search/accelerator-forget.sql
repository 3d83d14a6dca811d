-- Removes the accelerator's state row (after --undo).
-- returns: nothing
DELETE FROM fluxadmin.search_accelerator
