-- Creates a named restore point in the WAL; the first statement of the transaction, so its snapshot is the restore point's moment.
-- $1: name text
-- returns: lsn text, timeline text, snapshot text, created_at timestamptz, database text, server_version text
SELECT lsn::text AS lsn, substr(pg_walfile_name(lsn), 1, 8) AS timeline, pg_current_snapshot()::text AS snapshot,
       clock_timestamp() AS created_at, current_database()::text AS database, current_setting('server_version') AS server_version
FROM pg_create_restore_point($1) AS lsn
