-- Whether this database has the FluxStudio tables the app checks read.
-- returns: present boolean
SELECT to_regclass('public.organizations') IS NOT NULL AND to_regclass('public.organization_members') IS NOT NULL
   AND to_regclass('public.refresh_tokens') IS NOT NULL AND to_regclass('public.team_members') IS NOT NULL
   AND to_regclass('public.files') IS NOT NULL AND to_regclass('public.users') IS NOT NULL AS present
