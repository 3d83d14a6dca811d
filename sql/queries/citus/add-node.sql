-- Adds a worker to this coordinator's cluster (idempotent: an existing node keeps its id).
-- $1: host text
-- $2: port int
-- returns: nodeid int
-- requires: citus
SELECT citus_add_node($1::text, $2::int) AS nodeid
