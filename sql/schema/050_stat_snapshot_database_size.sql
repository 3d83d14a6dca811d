-- Each `stats snapshot` also records the database size, so `health check` can report growth per day.
ALTER TABLE fluxadmin.stat_snapshots ADD COLUMN database_bytes BIGINT;
