-- Updates the given fields of a user (NULL keeps the current value).
-- $1: user id uuid
-- $2: email text or null
-- $3: name text or null
-- $4: user_type text or null
-- $5: timezone text or null
-- $6: phone text or null
-- $7: is_active boolean or null
-- returns: id, email, name, user_type, timezone, phone, is_active
UPDATE users
SET email = coalesce($2, email), name = coalesce($3, name), user_type = coalesce($4, user_type),
    timezone = coalesce($5, timezone), phone = coalesce($6, phone), is_active = coalesce($7, is_active)
WHERE id = $1
RETURNING id, email, name, user_type, timezone, phone, coalesce(is_active, true) AS is_active
