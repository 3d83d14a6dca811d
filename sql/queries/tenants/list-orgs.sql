-- Organizations with their member, team, project and file counts and storage bytes, filtered, by slug.
-- $1: type text or null
-- $2: tier text or null (subscription_tier)
-- $3: status text or null (subscription_status)
-- $4: search text or null (case-insensitive substring of name or slug)
-- $5: org id uuid or null (one organization)
-- $6: limit int
-- returns: id, slug, name, type, tier, status, members, teams, projects, files, storage_bytes, created_at
SELECT o.id, o.slug, o.name, o.type, o.subscription_tier AS tier, o.subscription_status AS status,
       (SELECT count(*) FROM organization_members m WHERE m.organization_id = o.id) AS members,
       (SELECT count(*) FROM teams t WHERE t.organization_id = o.id) AS teams,
       (SELECT count(*) FROM projects p WHERE p.organization_id = o.id) AS projects,
       fs.files, fs.storage_bytes, o.created_at
FROM organizations o
CROSS JOIN LATERAL (
  SELECT count(*) AS files, coalesce(sum(f.file_size), 0)::bigint AS storage_bytes FROM files f WHERE f.organization_id = o.id
) fs
WHERE ($1::text IS NULL OR o.type = $1::text)
  AND ($2::text IS NULL OR o.subscription_tier = $2::text)
  AND ($3::text IS NULL OR o.subscription_status = $3::text)
  AND ($4::text IS NULL OR strpos(lower(o.name), lower($4::text)) > 0 OR strpos(o.slug, lower($4::text)) > 0)
  AND ($5::uuid IS NULL OR o.id = $5::uuid)
ORDER BY o.slug
LIMIT $6
