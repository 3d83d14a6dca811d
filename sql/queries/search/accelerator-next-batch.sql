-- The next batch of message ids after a position, in id order (primary key): its last id and size.
-- $1: after uuid (NULL: from the start)
-- $2: batch size int
-- returns: last_id uuid (NULL when no ids are left), ids bigint
SELECT max(b.id::text)::uuid AS last_id, count(*) AS ids
FROM (SELECT id FROM messages WHERE $1::uuid IS NULL OR id > $1::uuid ORDER BY id LIMIT $2::int) b
