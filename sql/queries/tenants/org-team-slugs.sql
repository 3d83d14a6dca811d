-- The team slugs of one organization.
-- $1: organization id uuid
-- returns: slug text
SELECT slug FROM teams WHERE organization_id = $1 ORDER BY slug
