-- Inserts the archive users this database does not have yet, ids preserved.
-- requires: temp table lifecycle_users (lifecycle/create-staged-users in the same transaction)
-- returns: id uuid, email text
INSERT INTO users
SELECT s.* FROM lifecycle_users s
WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = s.id)
ORDER BY s.id
RETURNING id, email::text
