-- Emails that appear on more than one line of the onboarding file.
-- returns: email text, lines int[]
-- requires: temp table onboard_rows (tenants/onboard-create-table in the same transaction); run by test/tenants-onboard.test.ts
SELECT email, array_agg(line ORDER BY line) AS lines
FROM onboard_rows
GROUP BY email
HAVING count(*) > 1
ORDER BY min(line)
