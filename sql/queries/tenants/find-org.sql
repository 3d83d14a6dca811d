-- One organization by UUID or by slug.
-- $1: id uuid or null
-- $2: slug text or null
-- returns: id uuid, slug text, name text, subscription_status text
SELECT id, slug, name, subscription_status
FROM organizations
WHERE id = $1::uuid OR slug = $2::text
