-- Sets (jsonb_set, creating the parent object when it is missing or not an object) or removes one path of a user's preferences.
-- $1: user id uuid
-- $2: path text[] (one or two keys, from the documented shape)
-- $3: value jsonb, or NULL to remove the path
-- returns: preferences jsonb
UPDATE users u
SET preferences = CASE
  WHEN $3::jsonb IS NULL THEN b.base #- $2::text[]
  WHEN cardinality($2::text[]) = 1 THEN jsonb_set(b.base, $2::text[], $3::jsonb)
  ELSE jsonb_set(jsonb_set(b.base, ($2::text[])[1:1], CASE WHEN jsonb_typeof(b.base -> ($2::text[])[1]) = 'object' THEN b.base -> ($2::text[])[1] ELSE '{}'::jsonb END),
                 $2::text[], $3::jsonb)
END
FROM (SELECT CASE WHEN jsonb_typeof(preferences) = 'object' THEN preferences ELSE '{}'::jsonb END AS base FROM users WHERE id = $1) b
WHERE u.id = $1
RETURNING u.preferences
