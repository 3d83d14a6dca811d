-- Replaces a user's personal data: a unique non-deliverable placeholder email (.invalid, RFC 2606), the name "Erased user", every other personal field cleared.
-- $1: user id uuid
-- returns: id uuid, email text, name text
UPDATE users
SET email = 'erased-' || id || '@erased.invalid', name = 'Erased user', password_hash = NULL, avatar_url = NULL, phone = NULL,
    preferences = '{}', oauth_provider = NULL, oauth_id = NULL, email_verified = FALSE, is_active = FALSE, last_login = NULL
WHERE id = $1
RETURNING id, email::text, name::text
