-- Temporary table that bulk onboarding COPYs the CSV file into as it is (dropped at commit or rollback);
-- n numbers the records in file order, c1..c5 are the file's columns in its header's order.
CREATE TEMP TABLE onboard_raw (
  n integer GENERATED ALWAYS AS IDENTITY,
  c1 text,
  c2 text,
  c3 text,
  c4 text,
  c5 text
) ON COMMIT DROP
