-- Physical replication slots whose standby is gone: no walsender streams from them (a standby that stopped or lost its connection), with the WAL they hold.
-- returns: value numeric (slots without their standby), detail text
WITH here AS (
  SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() ELSE pg_current_wal_lsn() END AS lsn
)
SELECT count(*) FILTER (WHERE gone)::numeric AS value,
       CASE WHEN count(*) = 0 THEN 'no physical replication slots'
            WHEN count(*) FILTER (WHERE gone) = 0 THEN format('%s physical slot(s), each with its standby streaming', count(*))
            ELSE 'no standby on ' || string_agg(format('%s (holds %s of WAL)', slot_name, coalesce(pg_size_pretty(pg_wal_lsn_diff(here.lsn, restart_lsn)), 'no')), ', ' ORDER BY slot_name) FILTER (WHERE gone) END AS detail
FROM (
  SELECT s.slot_name, s.restart_lsn,
         NOT EXISTS (SELECT 1 FROM pg_stat_replication r WHERE r.pid = s.active_pid) AS gone
  FROM pg_replication_slots s
  WHERE s.slot_type = 'physical' AND (s.active OR s.restart_lsn IS NOT NULL)
) slots, here
