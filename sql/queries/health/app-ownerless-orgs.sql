-- Organizations with no owner among their members: nobody can administer them.
-- returns: value numeric (organizations), detail text
WITH ownerless AS (
  SELECT o.slug::text AS slug FROM organizations o
  WHERE NOT EXISTS (SELECT 1 FROM organization_members m WHERE m.organization_id = o.id AND m.role = 'owner')
)
SELECT count(*)::numeric AS value,
       CASE WHEN count(*) = 0 THEN 'every organization has an owner'
            ELSE format('%s organization(s) without an owner: %s%s; make a member owner with `fluxadmin members set-role ORG USER owner`', count(*),
                        array_to_string((array_agg(slug ORDER BY slug))[1:5], ', '), CASE WHEN count(*) > 5 THEN format(' (+%s more)', count(*) - 5) ELSE '' END) END AS detail
FROM ownerless
