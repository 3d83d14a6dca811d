-- Audit events (security_events), newest first, filtered, one keyset page after a (created_at, id) cursor.
-- $1: user id uuid or null (the event's user, or metadata.user_id)
-- $2: organization id uuid or null (metadata.org_id)
-- $3: event_type text or null (exact, or a prefix ending in * such as admin.org.*)
-- $4: severity text or null
-- $5: since timestamptz or null (inclusive)
-- $6: until timestamptz or null (exclusive)
-- $7: cursor created_at bigint or null (microseconds since the epoch, NULL for an event without one; rows strictly after the cursor)
-- $8: cursor id uuid or null (no cursor: the first page)
-- $9: limit int
-- returns: id, created_at, event_type, severity, user_id, user_email, actor, description, ip_address, user_agent, metadata, created_us bigint
SELECT e.id, e.created_at, e.event_type, e.severity, e.user_id, u.email AS user_email, e.metadata->>'actor' AS actor,
       e.description, e.ip_address, e.user_agent, e.metadata, (extract(epoch FROM e.created_at) * 1000000)::bigint AS created_us
FROM security_events e
LEFT JOIN users u ON u.id = e.user_id
WHERE ($1::uuid IS NULL OR e.user_id = $1::uuid OR e.metadata->>'user_id' = $1::text)
  AND ($2::uuid IS NULL OR e.metadata->>'org_id' = $2::text)
  AND ($3::text IS NULL OR e.event_type = $3::text OR (right($3::text, 1) = '*' AND starts_with(e.event_type, left($3::text, -1))))
  AND ($4::text IS NULL OR e.severity = $4::text)
  AND ($5::timestamptz IS NULL OR e.created_at >= $5::timestamptz)
  AND ($6::timestamptz IS NULL OR e.created_at < $6::timestamptz)
  -- created_at DESC puts events without one first: after such a cursor ($7 NULL) come the rest of them, then all dated ones.
  AND ($8::uuid IS NULL
       OR ($7::bigint IS NULL AND (e.created_at IS NOT NULL OR e.id < $8::uuid))
       OR (e.created_at, e.id) < (timestamptz 'epoch' + $7::bigint * interval '1 microsecond', $8::uuid))
ORDER BY e.created_at DESC, e.id DESC
LIMIT $9
