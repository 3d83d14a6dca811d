-- Creates a user (password_hash NULL for an invitation).
-- $1: email text (lower case)
-- $2: name text
-- $3: user_type text
-- $4: password_hash text or null (bcrypt)
-- returns: id uuid, email text
INSERT INTO users (email, name, user_type, password_hash)
VALUES ($1, $2, $3, $4)
RETURNING id, email
