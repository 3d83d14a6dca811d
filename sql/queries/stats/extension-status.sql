-- Whether pg_stat_statements can be read here: server version, the preload setting, the extension in this database.
-- returns: server_version_num int, preload text (null when this role may not read the setting), extversion text (null: not created), extschema text, database text
SELECT current_setting('server_version_num')::int AS server_version_num,
       (SELECT setting FROM pg_settings WHERE name = 'shared_preload_libraries') AS preload,
       e.extversion::text AS extversion,
       n.nspname::text AS extschema,
       current_database()::text AS database
FROM (VALUES (1)) AS one (x)
LEFT JOIN pg_extension e ON e.extname = 'pg_stat_statements'
LEFT JOIN pg_namespace n ON n.oid = e.extnamespace
