-- Turns the raw CSV records into onboarding rows: fields picked by their header position, trimmed,
-- emails lower-cased, an empty role read as member (n stays the record's number; tenants/onboard-lines gives its line).
-- $1: position of the email column (1-5) int
-- $2: position of the name column int
-- $3: position of the user_type column int
-- $4: position of the role column int
-- $5: position of the team column int (null when the file has none)
-- returns: nothing (inserts into onboard_rows)
-- requires: temp tables onboard_raw and onboard_rows (tenants/onboard-create-raw, tenants/onboard-create-table in the same transaction)
INSERT INTO onboard_rows (n, email, name, user_type, role, team)
SELECT n,
       lower(btrim(coalesce(f[$1::int], ''))),
       btrim(coalesce(f[$2::int], '')),
       btrim(coalesce(f[$3::int], '')),
       coalesce(nullif(btrim(f[$4::int]), ''), 'member'),
       nullif(btrim(f[$5::int]), '')
FROM (SELECT n, ARRAY[c1, c2, c3, c4, c5] AS f FROM onboard_raw) raw
