-- Temporary table that bulk onboarding COPYs the CSV rows into (dropped at commit or rollback).
CREATE TEMP TABLE onboard_rows (
  line integer NOT NULL,
  email text NOT NULL,
  name text NOT NULL,
  user_type text NOT NULL,
  role text NOT NULL,
  team text
) ON COMMIT DROP
