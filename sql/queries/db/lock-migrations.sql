-- Serializes concurrent `db migrate` runs for the rest of the transaction.
-- returns: nothing
SELECT pg_advisory_xact_lock(7435826101)
