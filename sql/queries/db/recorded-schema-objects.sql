-- The catalog recorded by the last `db migrate`: what the migrations created.
-- returns: kind text, name text, definition text
SELECT kind, name, definition FROM fluxadmin.schema_objects ORDER BY kind, name
