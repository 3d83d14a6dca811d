-- Takes the `db migrate` advisory lock if it is free (same key as db/lock-migrations), for the rest of the transaction.
-- returns: locked boolean (false: another db migrate holds it)
SELECT pg_try_advisory_xact_lock(7435826101) AS locked
