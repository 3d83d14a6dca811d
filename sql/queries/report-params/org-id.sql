-- The id of an organization by slug, for the --org filter of reports.
-- $1: slug text
-- returns: id uuid
SELECT id FROM organizations WHERE slug = $1
