-- Records where the workers reach this coordinator (it holds the reference tables' copies and no shards).
-- $1: host text
-- $2: port int
-- returns: citus_set_coordinator_host void
-- requires: citus
SELECT citus_set_coordinator_host($1::text, $2::int)
