-- Statements running now in this database (client backends, this session left out): one sample of who runs what.
-- returns: pid int, query_start timestamptz, application text, query text
SELECT a.pid, a.query_start, a.application_name AS application, a.query
FROM pg_stat_activity a
WHERE a.state = 'active' AND a.backend_type = 'client backend' AND a.pid <> pg_backend_pid() AND a.datname = current_database()
