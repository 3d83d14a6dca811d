-- The SELECT that compares one tenant table's rows of an organization now with those the proof table recorded: how many are still there and unchanged, and a checksum of each side; its $1 is the organization id.
-- $1: table text
-- returns: sql text
-- requires: citus
SELECT format($f$WITH now AS MATERIALIZED (SELECT t.id, md5(t::text) AS row_hash FROM %I t WHERE t.organization_id = $1::uuid)
SELECT %L AS table_name,
       (SELECT count(*) FROM pg_temp.fluxadmin_move_proof WHERE table_name = %L)::int AS rows_before,
       (SELECT count(*) FROM now)::int AS rows_after,
       count(n.id) FILTER (WHERE n.row_hash = b.row_hash)::int AS unchanged,
       count(b.id) FILTER (WHERE n.id IS NULL)::int AS missing,
       coalesce(md5(string_agg(b.row_hash, '' ORDER BY b.id)), '') AS checksum_before,
       coalesce(md5(string_agg(n.row_hash, '' ORDER BY b.id)), '') AS checksum_after
FROM pg_temp.fluxadmin_move_proof b LEFT JOIN now n ON n.id = b.id
WHERE b.table_name = %L$f$, $1::text, $1::text, $1::text, $1::text) AS sql
