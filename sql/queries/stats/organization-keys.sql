-- Every organization's id and slug, the values a statement's parameters, literals or application_name tag are matched against.
-- returns: id text, slug text, name text
SELECT o.id::text AS id, o.slug::text AS slug, o.name::text AS name FROM organizations o ORDER BY o.slug
