-- Deletes the organization row at the end of a purge (nothing references it any more) and returns the purge's record, with how many of its former members no longer exist.
-- $1: organization id uuid
-- returns: purge jsonb, users_deleted int
WITH gone AS (DELETE FROM organizations WHERE id = $1 RETURNING settings->'purge' AS purge)
SELECT g.purge, (SELECT count(*)::int FROM jsonb_array_elements_text(g.purge->'users') AS x(id) WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = x.id::uuid)) AS users_deleted
FROM gone g
