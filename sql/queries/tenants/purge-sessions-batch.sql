-- Deletes one batch of refresh tokens that expired or were revoked longer ago than the given age (skips locked rows).
-- $1: older_than_ms bigint (age in milliseconds)
-- $2: batch_size int
-- returns: id uuid (one row per deleted token)
WITH batch AS (
  SELECT id FROM refresh_tokens
  WHERE expires_at < now() - $1::bigint * interval '1 millisecond'
     OR revoked_at < now() - $1::bigint * interval '1 millisecond'
  LIMIT $2
  FOR UPDATE SKIP LOCKED
)
DELETE FROM refresh_tokens r USING batch WHERE r.id = batch.id
RETURNING r.id
