-- How long this transaction's connections to other Citus nodes may take before the node counts as unreachable.
-- $1: timeout text
-- returns: set_config text
-- requires: citus
SELECT set_config('citus.node_connection_timeout', $1::text, true)
