-- The ids of the users staged from an archive.
-- requires: temp table lifecycle_users (lifecycle/create-staged-users in the same transaction)
-- returns: id text
SELECT id::text FROM lifecycle_users
