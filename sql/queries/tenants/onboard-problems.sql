-- The onboarding rows that cannot be loaded, one row per problem, in file order (duplicates are tenants/onboard-duplicates).
-- $1: organization id uuid (whose team slugs are valid)
-- $2: email pattern text (case-insensitive, as in src/tenants/validate.ts)
-- $3: user types text[]
-- $4: organization roles text[]
-- returns: n int (the record), field text (email, name, name_length, user_type, role, team), value text
-- requires: temp table onboard_rows (tenants/onboard-create-table in the same transaction); run by test/tenants-onboard.test.ts
WITH suspect AS (
  SELECT * FROM onboard_rows r
  WHERE length(r.email) > 255 OR r.email !~* $2 OR strpos(r.email, '..') > 0 OR r.name = '' OR length(r.name) > 255
     OR r.user_type <> ALL ($3::text[]) OR r.role <> ALL ($4::text[]) OR r.team IS NOT NULL
)
SELECT r.n, p.field, p.value
FROM suspect r
CROSS JOIN LATERAL (VALUES
  (1, 'email', r.email, length(r.email) > 255 OR r.email !~* $2 OR strpos(r.email, '..') > 0),
  (2, 'name', r.name, r.name = ''),
  (3, 'name_length', r.name, length(r.name) > 255),
  (4, 'user_type', r.user_type, r.user_type <> ALL ($3::text[])),
  (5, 'role', r.role, r.role <> ALL ($4::text[])),
  (6, 'team', r.team, r.team IS NOT NULL AND NOT EXISTS (SELECT 1 FROM teams t WHERE t.organization_id = $1 AND t.slug = r.team))
) p(ord, field, value, bad)
WHERE p.bad
ORDER BY r.n, p.ord
