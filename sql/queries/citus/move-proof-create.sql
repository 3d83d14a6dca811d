-- The session's table of an organization's rows before a shard move: each row's primary key and the md5 of its text, per tenant table.
-- requires: citus
CREATE TEMP TABLE IF NOT EXISTS fluxadmin_move_proof (table_name text NOT NULL, id uuid NOT NULL, row_hash text NOT NULL, PRIMARY KEY (table_name, id))
