-- When the server started (a later start than a snapshot's means a restart in between).
-- returns: postmaster_start timestamptz
SELECT pg_postmaster_start_time() AS postmaster_start
