-- Adds one backfilled batch to the accelerator's count.
-- $1: rows bigint (rows filled by the batch)
-- returns: backfilled bigint
UPDATE fluxadmin.search_accelerator SET backfilled = backfilled + $1::bigint RETURNING backfilled
