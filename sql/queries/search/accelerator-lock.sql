-- Serializes the search accelerator's transactions (set-up, each backfill batch, completion, --undo), for the rest of the transaction.
-- returns: nothing
SELECT pg_advisory_xact_lock(7435826102)
