-- The organization an --org value names: its id when given a UUID, else its slug.
-- $1: id uuid (NULL when a slug is given)
-- $2: slug text (NULL when a UUID is given)
-- returns: id uuid, slug text
SELECT id, slug::text AS slug FROM organizations WHERE id = $1::uuid OR slug = $2::text
