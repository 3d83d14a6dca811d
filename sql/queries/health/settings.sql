-- Server settings as a new session gets them (fluxadmin's own SET LOCAL left out), for the settings named in $1.
-- $1: names text[] (setting names)
-- returns: name text, value text (reset value), unit text, vartype text, source text, pending_restart boolean
SELECT s.name, s.reset_val AS value, s.unit, s.vartype, s.source, s.pending_restart
FROM pg_settings s
WHERE s.name = ANY ($1::text[])
ORDER BY array_position($1::text[], s.name::text)
