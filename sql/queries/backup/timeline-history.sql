-- The history file of the timeline a promoted server runs on (its last line says where and why recovery stopped), and the WAL segment size.
-- returns: timeline text, history text, wal_segment_size bigint
-- requires: superuser (pg_read_file)
SELECT t.timeline, pg_read_file(format('pg_wal/%s.history', t.timeline)) AS history,
       (SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size') AS wal_segment_size
FROM (SELECT substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8) AS timeline) t
