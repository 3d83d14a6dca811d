-- The user an --author value names: by id, by exact email, else by case-insensitive email.
-- $1: id uuid (NULL when an email is given)
-- $2: email text (NULL when a UUID is given)
-- returns: id uuid, email text
SELECT id, email::text AS email FROM users WHERE id = $1::uuid OR email = $2::text
UNION ALL
SELECT id, email::text FROM users
WHERE lower(email) = lower($2::text) AND NOT EXISTS (SELECT 1 FROM users WHERE id = $1::uuid OR email = $2::text)
LIMIT 2
