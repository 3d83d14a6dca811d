-- Locks one user row for a preferences change and returns the preferences (JSONB, '{}' when NULL).
-- $1: user id uuid
-- returns: preferences jsonb
SELECT coalesce(preferences, '{}'::jsonb) AS preferences FROM users WHERE id = $1 FOR NO KEY UPDATE
