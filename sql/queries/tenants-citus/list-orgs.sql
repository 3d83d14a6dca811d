-- tenants/list-orgs for the distributed layout on Citus: the counts come from each tenant table grouped by organization_id (one shard each with an organization id), joined to the organizations reference table, as Citus cannot run a correlated subquery from a reference table into a distributed one.
-- $1: type text or null
-- $2: tier text or null (subscription_tier)
-- $3: status text or null (subscription_status)
-- $4: search text or null (case-insensitive substring of name or slug)
-- $5: org id uuid or null (one organization)
-- $6: limit int
-- returns: id, slug, name, type, tier, status, members, teams, projects, files, storage_bytes, created_at
-- requires: the distributed layout (db distribute)
SELECT o.id, o.slug, o.name, o.type, o.subscription_tier AS tier, o.subscription_status AS status,
       coalesce(m.n, 0) AS members, coalesce(t.n, 0) AS teams, coalesce(p.n, 0) AS projects,
       coalesce(f.files, 0) AS files, coalesce(f.storage_bytes, 0)::bigint AS storage_bytes, o.created_at
FROM organizations o
LEFT JOIN (SELECT organization_id, count(*) AS n FROM organization_members WHERE $5::uuid IS NULL OR organization_id = $5::uuid GROUP BY 1) m ON m.organization_id = o.id
LEFT JOIN (SELECT organization_id, count(*) AS n FROM teams WHERE $5::uuid IS NULL OR organization_id = $5::uuid GROUP BY 1) t ON t.organization_id = o.id
LEFT JOIN (SELECT organization_id, count(*) AS n FROM projects WHERE $5::uuid IS NULL OR organization_id = $5::uuid GROUP BY 1) p ON p.organization_id = o.id
LEFT JOIN (SELECT organization_id, count(*) AS files, sum(file_size)::bigint AS storage_bytes
           FROM files WHERE $5::uuid IS NULL OR organization_id = $5::uuid GROUP BY 1) f ON f.organization_id = o.id
WHERE ($1::text IS NULL OR o.type = $1::text)
  AND ($2::text IS NULL OR o.subscription_tier = $2::text)
  AND ($3::text IS NULL OR o.subscription_status = $3::text)
  AND ($4::text IS NULL OR strpos(lower(o.name), lower($4::text)) > 0 OR strpos(o.slug, lower($4::text)) > 0)
  AND ($5::uuid IS NULL OR o.id = $5::uuid)
ORDER BY o.slug
LIMIT $6
