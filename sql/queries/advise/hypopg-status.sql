-- Whether HypoPG can be used here: installed in this database, available to install, and whether this role could install it.
-- returns: installed text (extversion, null: not created), available text (null: not on the server), hide_index boolean, superuser boolean, database text
SELECT (SELECT extversion::text FROM pg_extension WHERE extname = 'hypopg') AS installed,
       (SELECT default_version::text FROM pg_available_extensions WHERE name = 'hypopg') AS available,
       to_regproc('hypopg_hide_index') IS NOT NULL AS hide_index,
       (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
       current_database()::text AS database
