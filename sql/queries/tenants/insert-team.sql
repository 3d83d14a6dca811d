-- Creates a team in an organization.
-- $1: organization id uuid
-- $2: name text
-- $3: slug text
-- $4: description text or null
-- returns: id uuid, slug text
INSERT INTO teams (organization_id, name, slug, description)
VALUES ($1, $2, $3, $4)
RETURNING id, slug
