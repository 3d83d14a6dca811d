-- Purge of one organization: deletes one batch of the security events (metadata org_id) after $3 in physical order. metadata has no index, so each batch goes on where the last one stopped (a TID range scan) and the table is read once, not once per batch.
-- $1: organization id uuid
-- $2: batch size int
-- $3: after tid (where the previous batch stopped; (0,0) to start)
-- returns: deleted bigint, last text (the batch's last tid; NULL when none was left after $3)
WITH batch AS (
  SELECT ctid FROM security_events WHERE ctid > $3::tid AND metadata->>'org_id' = $1::text LIMIT $2
), gone AS (
  DELETE FROM security_events WHERE ctid IN (SELECT ctid FROM batch) RETURNING ctid
)
SELECT count(*) AS deleted, max(ctid)::text AS last FROM gone
