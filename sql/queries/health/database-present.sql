-- Whether the server has a database of this name (health check --db names the one the activity checks look at).
-- $1: name text
-- returns: present boolean
SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1::text) AS present
