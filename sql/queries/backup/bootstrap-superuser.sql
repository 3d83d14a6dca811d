-- The cluster's bootstrap superuser (oid 10), whom a restored copy of the cluster also has.
-- returns: name text
SELECT rolname::text AS name FROM pg_roles WHERE oid = 10
