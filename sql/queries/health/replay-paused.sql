-- Whether WAL replay on this standby is paused (pg_wal_replay_pause()): it then falls behind without a sign.
-- returns: value numeric (1 paused or pausing, 0 replaying, NULL on a primary), detail text
SELECT CASE WHEN NOT pg_is_in_recovery() THEN NULL WHEN pg_get_wal_replay_pause_state() = 'not paused' THEN 0 ELSE 1 END::numeric AS value,
       CASE WHEN NOT pg_is_in_recovery() THEN 'not a standby'
            WHEN pg_get_wal_replay_pause_state() = 'not paused' THEN 'replaying'
            ELSE format('replay %s at %s; resume it with SELECT pg_wal_replay_resume()', pg_get_wal_replay_pause_state(), pg_last_wal_replay_lsn()) END AS detail
