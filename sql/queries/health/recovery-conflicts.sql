-- Queries on this standby's current database cancelled by recovery conflicts since the statistics were last reset, by cause.
-- returns: value numeric (cancelled queries, NULL on a primary), detail text
SELECT CASE WHEN pg_is_in_recovery() THEN d.conflicts::numeric END AS value,
       CASE WHEN NOT pg_is_in_recovery() THEN 'not a standby'
            ELSE format('%s since %s (snapshot %s, lock %s, buffer pin %s, deadlock %s, tablespace %s)', d.conflicts, coalesce(d.stats_reset::text, 'the server started'),
                        c.confl_snapshot, c.confl_lock, c.confl_bufferpin, c.confl_deadlock, c.confl_tablespace) END AS detail
FROM pg_stat_database d
JOIN pg_stat_database_conflicts c USING (datid)
WHERE d.datname = current_database()
