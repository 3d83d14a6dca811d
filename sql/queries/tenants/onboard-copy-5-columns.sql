-- Streams an onboarding CSV file with five columns into the raw temp table, skipping its header row.
-- requires: temp table onboard_raw (tenants/onboard-create-raw in the same transaction)
COPY onboard_raw (c1, c2, c3, c4, c5) FROM STDIN WITH (FORMAT csv, HEADER true)
