-- backup/create-restore-point on a Citus coordinator: citus_create_restore_point writes the named restore point on the coordinator and every worker at one consistent moment (it blocks distributed commits meanwhile); the LSN is the coordinator's.
-- $1: name text
-- returns: lsn text, timeline text, snapshot text, created_at timestamptz, database text, server_version text
-- requires: citus
SELECT lsn::text AS lsn, substr(pg_walfile_name(lsn), 1, 8) AS timeline, pg_current_snapshot()::text AS snapshot,
       clock_timestamp() AS created_at, current_database()::text AS database, current_setting('server_version') AS server_version
FROM citus_create_restore_point($1) AS lsn
