-- Emails that appear on more than one line of the onboarding file.
-- returns: email text, lines int[]
SELECT email, array_agg(line ORDER BY line) AS lines
FROM onboard_rows
GROUP BY email
HAVING count(*) > 1
ORDER BY min(line)
