-- The server we are connected to.
-- returns: server_version text, server_version_num int, database text, current_user text, in_recovery boolean
SELECT current_setting('server_version') AS server_version,
       current_setting('server_version_num')::int AS server_version_num,
       current_database() AS database,
       current_user AS current_user,
       pg_is_in_recovery() AS in_recovery
