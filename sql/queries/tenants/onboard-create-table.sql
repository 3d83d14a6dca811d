-- Temporary table of the onboarding file's rows, normalized (tenants/onboard-normalize), dropped at commit or rollback.
CREATE TEMP TABLE onboard_rows (
  n integer NOT NULL,
  email text NOT NULL,
  name text NOT NULL,
  user_type text NOT NULL,
  role text NOT NULL,
  team text
) ON COMMIT DROP
