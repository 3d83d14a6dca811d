-- One user by UUID or by email (case-insensitive).
-- $1: id uuid or null
-- $2: email text or null (lower case)
-- returns: id uuid, email text, name text, is_active boolean
SELECT id, email, name, coalesce(is_active, true) AS is_active
FROM users
WHERE id = $1::uuid OR lower(email) = $2::text
ORDER BY (email = $2::text) DESC
LIMIT 1
