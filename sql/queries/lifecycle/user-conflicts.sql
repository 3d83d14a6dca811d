-- Archive users whose id and email (any case) point at different users of this database.
-- requires: temp table lifecycle_users (lifecycle/create-staged-users in the same transaction)
-- returns: id uuid, email text, existing_id uuid, existing_email text
SELECT s.id, s.email::text, u.id AS existing_id, u.email::text AS existing_email
FROM lifecycle_users s JOIN users u ON u.id = s.id
WHERE lower(u.email) <> lower(s.email)
UNION ALL
SELECT s.id, s.email::text, u.id, u.email::text
FROM lifecycle_users s JOIN users u ON lower(u.email) = lower(s.email)
WHERE u.id <> s.id
ORDER BY 2
