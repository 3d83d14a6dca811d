-- Locks one user row for a change and returns its editable fields.
-- $1: user id uuid
-- returns: id, email, name, user_type, timezone, phone, is_active
SELECT id, email, name, user_type, timezone, phone, coalesce(is_active, true) AS is_active
FROM users
WHERE id = $1
FOR NO KEY UPDATE
