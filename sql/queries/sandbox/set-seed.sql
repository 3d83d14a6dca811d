-- Fixes random() for the rest of the session, so the demo data is reproducible.
-- $1: seed float between -1 and 1
SELECT setseed($1::float8)
