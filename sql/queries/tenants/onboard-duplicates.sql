-- Emails that appear on more than one line of the onboarding file.
-- returns: email text, records int[] (onboard_rows.n, in file order)
-- requires: temp table onboard_rows (tenants/onboard-create-table in the same transaction); run by test/tenants-onboard.test.ts
SELECT email, array_agg(n ORDER BY n) AS records
FROM onboard_rows
GROUP BY email
HAVING count(*) > 1
ORDER BY min(n)
