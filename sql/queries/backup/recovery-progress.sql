-- Whether the server still replays WAL, and how far it got.
-- returns: in_recovery boolean, replay_lsn text
SELECT pg_is_in_recovery() AS in_recovery, pg_last_wal_replay_lsn()::text AS replay_lsn
