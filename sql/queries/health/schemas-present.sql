-- Whether this database has the FluxStudio tables the app checks read, and fluxadmin's stat snapshots with database sizes.
-- returns: present boolean, snapshots boolean
SELECT to_regclass('public.organizations') IS NOT NULL AND to_regclass('public.organization_members') IS NOT NULL
   AND to_regclass('public.refresh_tokens') IS NOT NULL AND to_regclass('public.team_members') IS NOT NULL
   AND to_regclass('public.files') IS NOT NULL AND to_regclass('public.users') IS NOT NULL AS present,
       EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('fluxadmin.stat_snapshots') AND attname = 'database_bytes' AND NOT attisdropped) AS snapshots
