-- Slugs of the given organizations, to name them in messages.
-- $1: ids uuid[]
-- returns: id text, slug text
SELECT id::text, slug::text FROM organizations WHERE id = ANY($1::uuid[])
