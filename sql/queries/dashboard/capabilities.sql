-- What the dashboard can show on this server: pg_stat_statements loaded and installed, FluxStudio tables present.
-- returns: has_statements boolean, statements_version text (pg_stat_statements' extversion, null: not created), has_tenants boolean
-- Before 1.8 (total_exec_time) the counters are not read: ALTER EXTENSION pg_stat_statements UPDATE brings them.
SELECT coalesce(string_to_array(e.extversion, '.')::int[] >= '{1,8}', false)
         AND current_setting('shared_preload_libraries') LIKE '%pg_stat_statements%' AS has_statements,
       e.extversion::text AS statements_version,
       to_regclass('public.messages') IS NOT NULL AND to_regclass('public.conversations') IS NOT NULL
         AND to_regclass('public.files') IS NOT NULL AND to_regclass('public.organizations') IS NOT NULL AS has_tenants
FROM (VALUES (1)) AS one (x)
LEFT JOIN pg_extension e ON e.extname = 'pg_stat_statements'
