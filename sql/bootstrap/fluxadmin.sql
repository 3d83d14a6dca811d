-- fluxadmin's own bookkeeping, created before any migration runs (idempotent).
CREATE SCHEMA IF NOT EXISTS fluxadmin;
CREATE TABLE IF NOT EXISTS fluxadmin.schema_migrations (
    version TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT NOW(),
    applied_by TEXT NOT NULL DEFAULT current_user
);
CREATE TABLE IF NOT EXISTS fluxadmin.schema_objects (
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    PRIMARY KEY (kind, name)
);
