-- Builds the COMMENT that marks a scratch database with the backend that made it (DDL takes no bind parameters).
-- $1: database name text
-- returns: sql text
SELECT format('COMMENT ON DATABASE %I IS %L', $1::text,
              format('fluxadmin backup verify: backend %s started %s', a.pid, extract(epoch FROM a.backend_start))) AS sql
FROM pg_stat_activity a
WHERE a.pid = pg_backend_pid()
