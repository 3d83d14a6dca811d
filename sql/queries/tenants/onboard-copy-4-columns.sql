-- Streams an onboarding CSV file with four columns (no team column) into the raw temp table, skipping its header row.
-- requires: temp table onboard_raw (tenants/onboard-create-raw in the same transaction)
COPY onboard_raw (c1, c2, c3, c4) FROM STDIN WITH (FORMAT csv, HEADER true)
