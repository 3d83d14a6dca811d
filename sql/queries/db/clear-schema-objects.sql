-- Forgets the recorded catalog before `db migrate` records the new one.
DELETE FROM fluxadmin.schema_objects
