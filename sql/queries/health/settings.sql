-- Server settings as a new session gets them (fluxadmin's own SET LOCAL left out), for the settings named in $1.
-- $1: names text[] (setting names)
-- returns: name text, value text (reset value), unit text, vartype text, source text (where fluxadmin's SET LOCAL hides it: database, role, or configuration file or default), pending_restart boolean
SELECT s.name, s.reset_val AS value, s.unit, s.vartype,
       CASE WHEN s.source <> 'session' THEN s.source
            ELSE coalesce((SELECT CASE WHEN r.setrole = 0 THEN 'database' WHEN r.setdatabase = 0 THEN 'user' ELSE 'database user' END
                           FROM pg_db_role_setting r, unnest(r.setconfig) c
                           WHERE c LIKE s.name || '=%'
                             AND r.setdatabase IN (0, (SELECT d.oid FROM pg_database d WHERE d.datname = current_database()))
                             AND r.setrole IN (0, (SELECT a.oid FROM pg_roles a WHERE a.rolname = session_user))
                           ORDER BY (r.setrole <> 0)::int + (r.setdatabase <> 0)::int DESC
                           LIMIT 1), 'configuration file or default') END AS source,
       s.pending_restart
FROM pg_settings s
WHERE s.name = ANY ($1::text[])
ORDER BY array_position($1::text[], s.name::text)
