-- Whether this server is a standby (in recovery): asked only after a write failed as read-only and the connection did not say (a pooler).
-- returns: in_recovery boolean
SELECT pg_is_in_recovery() AS in_recovery
