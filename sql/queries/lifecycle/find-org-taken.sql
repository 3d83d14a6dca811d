-- An organization with this id or this slug, to refuse importing over it.
-- $1: id uuid
-- $2: slug text
-- returns: id uuid, slug text
SELECT id, slug::text FROM organizations WHERE id = $1::uuid OR slug = $2::text
