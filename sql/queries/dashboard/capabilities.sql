-- What the dashboard can show on this server: pg_stat_statements loaded and installed, FluxStudio tables present.
-- returns: has_statements boolean, has_tenants boolean
SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements')
         AND current_setting('shared_preload_libraries') LIKE '%pg_stat_statements%' AS has_statements,
       to_regclass('public.messages') IS NOT NULL AND to_regclass('public.conversations') IS NOT NULL
         AND to_regclass('public.files') IS NOT NULL AND to_regclass('public.organizations') IS NOT NULL AS has_tenants
