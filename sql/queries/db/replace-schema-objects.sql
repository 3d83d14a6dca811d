-- Replaces the recorded catalog (what the migrations created) with the given objects.
-- $1: kinds text[]
-- $2: names text[]
-- $3: definitions text[]
WITH cleared AS (DELETE FROM fluxadmin.schema_objects)
INSERT INTO fluxadmin.schema_objects (kind, name, definition)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
