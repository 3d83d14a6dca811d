-- The port this backend's server listens on and the client port it sees (a pooler or proxy in between shows other ports than the client's).
-- returns: server_port int (null: Unix socket), client_port int (-1: Unix socket)
SELECT inet_server_port() AS server_port, a.client_port
FROM pg_stat_activity a
WHERE a.pid = pg_backend_pid()
