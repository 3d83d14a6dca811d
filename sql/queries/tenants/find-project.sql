-- One project by UUID or by slug within an organization.
-- $1: id uuid or null
-- $2: slug text or null
-- $3: organization_id uuid or null (required with a slug)
-- returns: id uuid, slug text, name text, organization_id uuid
SELECT id, slug, name, organization_id
FROM projects
WHERE (id = $1::uuid AND ($3::uuid IS NULL OR organization_id = $3::uuid))
   OR (slug = $2::text AND organization_id = $3::uuid)
