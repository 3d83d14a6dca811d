-- The estimated size of hypothetical indexes in bytes (HypoPG).
-- $1: indexrelids oid[]
-- returns: indexrelid oid, bytes bigint
-- requires: hypopg
SELECT x.oid AS indexrelid, hypopg_relation_size(x.oid) AS bytes FROM unnest($1::oid[]) AS x (oid)
