-- Strips the personal data from the security events about a user (by id, or naming their email): description and metadata reduced to the event type, actor and organization.
-- $1: user id uuid
-- $2: email text (before the erasure)
-- returns: row count
UPDATE security_events
SET description = event_type || ' (erased user)', ip_address = NULL,
    metadata = jsonb_strip_nulls(jsonb_build_object('actor', metadata->'actor', 'org_id', metadata->'org_id', 'erased_user', TRUE))
WHERE user_id = $1 OR metadata->>'user_id' = $1::text
   OR strpos(lower(description), lower($2::text)) > 0 OR strpos(lower(metadata::text), lower($2::text)) > 0
