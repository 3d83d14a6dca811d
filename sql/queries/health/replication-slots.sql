-- The most WAL any replication slot retains, in bytes (an inactive slot that retains nothing is harmless), with every slot that retains WAL.
-- returns: value numeric (bytes retained by the worst slot, 0 without slots), detail text
WITH s AS (
  SELECT s.slot_name, s.slot_type, s.active,
         coalesce(pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() ELSE pg_current_wal_lsn() END, s.restart_lsn), 0)::numeric AS retained
  FROM pg_replication_slots s
)
SELECT coalesce(max(retained), 0) AS value,
       CASE WHEN count(*) = 0 THEN 'no replication slots'
            WHEN count(*) FILTER (WHERE retained > 0) = 0 THEN format('%s slot(s), none retains WAL', count(*))
            ELSE string_agg(format('%s (%s, %s) retains %s', slot_name, slot_type, CASE WHEN active THEN 'active' ELSE 'inactive' END, pg_size_pretty(retained)), ', ' ORDER BY retained DESC)
                   FILTER (WHERE retained > 0)
                 || CASE WHEN count(*) FILTER (WHERE retained > 0 AND NOT active) > 0 THEN '; drop slots nobody uses (pg_drop_replication_slot) or bring their consumer back' ELSE '' END END AS detail
FROM s
