-- Whether pg_stat_statements is preloaded by the server and created in this database.
-- returns: value numeric (0 = loaded and created, 1 = loaded but not created here, 2 = not in shared_preload_libraries), detail text
SELECT CASE WHEN NOT loaded THEN 2 WHEN NOT created THEN 1 ELSE 0 END::numeric AS value,
       CASE WHEN NOT loaded THEN 'not in shared_preload_libraries; add it and restart the server'
            WHEN NOT created THEN 'preloaded but not created in this database; run CREATE EXTENSION pg_stat_statements'
            ELSE 'loaded and created' END AS detail
FROM (
  SELECT 'pg_stat_statements' = ANY (string_to_array(replace(current_setting('shared_preload_libraries'), ' ', ''), ',')) AS loaded,
         EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements') AS created
) x
