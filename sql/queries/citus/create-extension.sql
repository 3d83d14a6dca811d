-- Creates the citus extension in this database (the server must preload citus).
-- returns: nothing
-- requires: citus
CREATE EXTENSION IF NOT EXISTS citus
