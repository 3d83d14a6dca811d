-- Records one applied migration file.
-- $1: version text
-- $2: name text
-- $3: checksum text (sha256 of the file)
INSERT INTO fluxadmin.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)
