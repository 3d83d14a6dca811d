-- Scratch databases of `backup verify` runs that are gone: the backend named in the database's comment no longer exists.
-- returns: name text, owner_pid int
SELECT d.datname::text AS name, r.m[1]::int AS owner_pid
FROM pg_database d
CROSS JOIN LATERAL (SELECT regexp_match(shobj_description(d.oid, 'pg_database'), '^fluxadmin backup verify: backend (\d+) started ([\d.]+)$') AS m) r
WHERE d.datname LIKE 'fluxadmin\_verify\_%'
  AND r.m IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = r.m[1]::int AND extract(epoch FROM a.backend_start)::text = r.m[2])
ORDER BY 1
