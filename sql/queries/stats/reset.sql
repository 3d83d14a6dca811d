-- Resets pg_stat_statements counters: all of them, or only one role's, database's or statement's (0 = any).
-- $1: userid oid
-- $2: dbid oid
-- $3: queryid bigint (0: every statement)
-- returns: reset void
SELECT pg_stat_statements_reset($1::oid, $2::oid, $3::bigint)::text AS reset
