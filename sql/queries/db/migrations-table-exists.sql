-- Whether fluxadmin's migration bookkeeping exists in this database.
-- returns: exists boolean
SELECT to_regclass('fluxadmin.schema_migrations') IS NOT NULL AS exists
