-- How far this standby's replay is behind: 0 when it has replayed all it received and its WAL receiver streams (an idle primary sends nothing newer), else now() - the last replayed commit.
-- returns: value numeric (seconds; NULL on a primary, or when it has replayed nothing yet), in_recovery boolean, detail text
SELECT CASE WHEN caught_up THEN 0 ELSE round(extract(epoch FROM now() - pg_last_xact_replay_timestamp())::numeric, 1) END AS value,
       in_recovery,
       CASE WHEN NOT in_recovery THEN 'not a standby'
            WHEN caught_up THEN 'replayed all WAL received; the WAL receiver streams'
            WHEN pg_last_xact_replay_timestamp() IS NULL THEN 'nothing replayed since start-up'
            ELSE format('last replayed commit from %s; received %s, replayed %s', pg_last_xact_replay_timestamp(), pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()) END AS detail
FROM (
  SELECT pg_is_in_recovery() AS in_recovery,
         pg_is_in_recovery() AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
           AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') AS caught_up
) r
