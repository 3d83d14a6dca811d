-- Migrations recorded as applied, oldest first.
-- returns: version text, name text, checksum text, applied_at timestamptz, applied_by text
SELECT version, name, checksum, applied_at, applied_by
FROM fluxadmin.schema_migrations
ORDER BY version
