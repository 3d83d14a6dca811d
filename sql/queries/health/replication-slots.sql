-- Inactive replication slots (they hold back WAL removal and vacuum), with the WAL they retain.
-- returns: value numeric (count of inactive slots), detail text
SELECT count(*) FILTER (WHERE NOT s.active)::numeric AS value,
       CASE WHEN count(*) = 0 THEN 'no replication slots'
            WHEN count(*) FILTER (WHERE NOT s.active) = 0 THEN format('%s slot(s), all active', count(*))
            ELSE format('inactive: %s', string_agg(format('%s (retains %s)', s.slot_name,
                   coalesce(pg_size_pretty(pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() ELSE pg_current_wal_lsn() END, s.restart_lsn)), 'no WAL')),
                   ', ' ORDER BY s.slot_name) FILTER (WHERE NOT s.active)) END AS detail
FROM pg_replication_slots s
