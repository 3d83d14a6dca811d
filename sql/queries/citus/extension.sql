-- The citus extension's version in this database, and whether the server preloads it (no row: not installed here).
-- returns: extversion text, preloaded boolean
SELECT e.extversion, 'citus' = ANY (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ',')) AS preloaded
FROM pg_extension e
WHERE e.extname = 'citus'
