-- Records that the accelerator is being built (backfilling), keeping the start of an earlier, interrupted run.
-- returns: state text
INSERT INTO fluxadmin.search_accelerator (state) VALUES ('backfilling')
ON CONFLICT (singleton) DO UPDATE SET state = 'backfilling', completed_at = NULL
RETURNING state
