-- Whether this database has the FluxStudio tables the app checks read, and fluxadmin's stat snapshots with database sizes (read from the catalog: a schema the role may not use is no error here, only later in the check that reads it).
-- returns: present boolean, snapshots boolean
SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relname IN ('organizations', 'organization_members', 'refresh_tokens', 'team_members', 'files', 'users')) = 6 AS present,
       EXISTS (SELECT 1 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'fluxadmin' AND c.relname = 'stat_snapshots' AND a.attname = 'database_bytes' AND NOT a.attisdropped) AS snapshots
