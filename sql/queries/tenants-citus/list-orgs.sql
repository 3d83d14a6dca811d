-- Organizations with their member, team, project and file counts and storage bytes, filtered, by slug (Citus form: each count is one aggregate per tenant table, grouped by organization_id on the shards).
-- $1: type text or null
-- $2: tier text or null (subscription_tier)
-- $3: status text or null (subscription_status)
-- $4: search text or null (case-insensitive substring of name or slug)
-- $5: org id uuid or null (one organization)
-- $6: limit int
-- returns: id, slug, name, type, tier, status, members, teams, projects, files, storage_bytes, created_at
-- requires: the distributed layout (db distribute)
WITH m AS MATERIALIZED (
  SELECT organization_id, count(*) AS n FROM organization_members WHERE $5::uuid IS NULL OR organization_id = $5::uuid GROUP BY 1
), t AS MATERIALIZED (
  SELECT organization_id, count(*) AS n FROM teams WHERE $5::uuid IS NULL OR organization_id = $5::uuid GROUP BY 1
), p AS MATERIALIZED (
  SELECT organization_id, count(*) AS n FROM projects WHERE $5::uuid IS NULL OR organization_id = $5::uuid GROUP BY 1
), f AS MATERIALIZED (
  SELECT organization_id, count(*) AS n, sum(file_size)::bigint AS bytes FROM files WHERE $5::uuid IS NULL OR organization_id = $5::uuid GROUP BY 1
)
SELECT o.id, o.slug, o.name, o.type, o.subscription_tier AS tier, o.subscription_status AS status,
       coalesce(m.n, 0) AS members, coalesce(t.n, 0) AS teams, coalesce(p.n, 0) AS projects,
       coalesce(f.n, 0) AS files, coalesce(f.bytes, 0)::bigint AS storage_bytes, o.created_at
FROM organizations o
LEFT JOIN m ON m.organization_id = o.id
LEFT JOIN t ON t.organization_id = o.id
LEFT JOIN p ON p.organization_id = o.id
LEFT JOIN f ON f.organization_id = o.id
WHERE ($1::text IS NULL OR o.type = $1::text)
  AND ($2::text IS NULL OR o.subscription_tier = $2::text)
  AND ($3::text IS NULL OR o.subscription_status = $3::text)
  AND ($4::text IS NULL OR strpos(lower(o.name), lower($4::text)) > 0 OR strpos(o.slug, lower($4::text)) > 0)
  AND ($5::uuid IS NULL OR o.id = $5::uuid)
ORDER BY o.slug
LIMIT $6
