-- File bytes by organization and category: all versions vs latest versions, and the largest file of each.
-- $1: org_id uuid (only this organization; all when absent)
-- returns: organization_slug text, category text, files bigint, latest_files bigint, old_versions bigint, total_bytes bigint, latest_bytes bigint, old_version_bytes bigint, largest_file text, largest_file_bytes bigint
SELECT o.slug::text AS organization_slug, f.category::text AS category,
       count(*) AS files,
       count(*) FILTER (WHERE f.is_latest) AS latest_files,
       count(*) FILTER (WHERE NOT COALESCE(f.is_latest, false)) AS old_versions,
       sum(f.file_size)::bigint AS total_bytes,
       COALESCE(sum(f.file_size) FILTER (WHERE f.is_latest), 0)::bigint AS latest_bytes,
       COALESCE(sum(f.file_size) FILTER (WHERE NOT COALESCE(f.is_latest, false)), 0)::bigint AS old_version_bytes,
       (array_agg(f.name::text ORDER BY f.file_size DESC, f.id))[1] AS largest_file,
       max(f.file_size) AS largest_file_bytes
FROM files f JOIN organizations o ON o.id = f.organization_id
WHERE $1::uuid IS NULL OR f.organization_id = $1::uuid
GROUP BY o.slug, f.category
ORDER BY organization_slug, category
