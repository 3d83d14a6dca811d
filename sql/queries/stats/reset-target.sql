-- Resolves the role and database names a partial reset is limited to (null name: every one, oid 0).
-- $1: user text or null
-- $2: db text or null
-- returns: userid oid (null: named role not found), dbid oid (null: named database not found)
SELECT CASE WHEN $1::text IS NULL THEN 0::oid ELSE (SELECT oid FROM pg_roles WHERE rolname = $1::text) END AS userid,
       CASE WHEN $2::text IS NULL THEN 0::oid ELSE (SELECT oid FROM pg_database WHERE datname = $2::text) END AS dbid
