-- Users whose timezone is not a time zone PostgreSQL knows (pg_timezone_names).
-- returns: value numeric (users), detail text
WITH bad AS (
  SELECT u.email, u.timezone FROM users u
  WHERE u.timezone IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_timezone_names z WHERE z.name = u.timezone)
)
SELECT count(*)::numeric AS value,
       CASE WHEN count(*) = 0 THEN 'every user timezone is a known time zone'
            ELSE format('%s user(s) with an unknown timezone, e.g. %s', count(*),
                        (SELECT string_agg(format('%s (%s)', b.email, left(b.timezone, 50)), ', ') FROM (SELECT * FROM bad ORDER BY email LIMIT 3) b)) END AS detail
FROM bad
