-- Records that every message has its stored vector: search ranks on the column from now on.
-- returns: completed_at timestamptz
UPDATE fluxadmin.search_accelerator SET state = 'complete', completed_at = now() RETURNING completed_at
