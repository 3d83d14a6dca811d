-- Records the catalog the migrations created.
-- $1: kinds text[]
-- $2: names text[]
-- $3: definitions text[]
INSERT INTO fluxadmin.schema_objects (kind, name, definition)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
