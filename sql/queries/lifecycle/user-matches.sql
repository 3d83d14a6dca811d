-- Archive users already in this database with the same id and email (any case): they are kept as they are.
-- requires: temp table lifecycle_users (lifecycle/create-staged-users in the same transaction)
-- returns: id uuid, email text
SELECT s.id, u.email::text
FROM lifecycle_users s
JOIN users u ON u.id = s.id
ORDER BY u.email
