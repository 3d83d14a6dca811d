-- Takes the advisory lock of one organization's import if it is free, for the rest of the transaction (two imports or moves of one organization: the second is refused).
-- $1: id uuid
-- returns: locked boolean
SELECT pg_try_advisory_xact_lock(7435826, hashtext($1::uuid::text)) AS locked
