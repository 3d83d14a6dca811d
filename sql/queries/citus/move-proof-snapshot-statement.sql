-- The INSERT that records one tenant table's rows of an organization (primary key, md5 of the row's text) in the session's proof table; its $1 is the organization id.
-- $1: table text
-- returns: sql text
-- requires: citus
SELECT format('INSERT INTO pg_temp.fluxadmin_move_proof SELECT %L, t.id, md5(t::text) FROM %I t WHERE t.organization_id = $1::uuid', $1::text, $1::text) AS sql
