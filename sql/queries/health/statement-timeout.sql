-- The statement_timeout a new session gets (server, database and role settings; fluxadmin's own SET LOCAL left out), in milliseconds.
-- returns: value numeric (milliseconds, 0 = no timeout), detail text
SELECT reset_val::numeric AS value,
       CASE WHEN reset_val = '0' THEN 'statement_timeout is 0 (no limit); set it, e.g. ALTER DATABASE ... SET statement_timeout = ''30s'''
            ELSE format('statement_timeout = %s%s for new sessions', reset_val, coalesce(unit, '')) END AS detail
FROM pg_settings
WHERE name = 'statement_timeout'
