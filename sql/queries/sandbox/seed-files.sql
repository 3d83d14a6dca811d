-- Creates files per project, each in a version chain of one to three versions where only the last is latest.
-- $1: files per project int
WITH base AS (
  SELECT p.id AS project_id, p.organization_id, p.manager_id, g,
         (ARRAY['design', 'reference', 'final', 'feedback', 'other'])[1 + g % 5] AS category,
         (ARRAY['draft', 'review', 'approved', 'rejected'])[1 + (g + abs(hashtext(p.slug))) % 4] AS status,
         (ARRAY['image/png', 'application/pdf', 'image/jpeg', 'video/mp4', 'image/svg+xml'])[1 + (g * 7 + abs(hashtext(p.slug))) % 5] AS mime,
         1 + abs(hashtext(p.id::text || g)) % 3 AS versions
  FROM projects p CROSS JOIN generate_series(1, $1::int) g
)
INSERT INTO files (id, name, original_name, file_path, file_url, mime_type, file_size, width, height, category, status, version, is_latest, parent_file_id,
                   project_id, organization_id, uploaded_by, metadata, created_at)
SELECT uuid_generate_v5(b.project_id, b.g || '/' || v),
       'asset-' || b.g || '-v' || v, 'Asset ' || b.g || '.' || split_part(b.mime, '/', 2),
       b.organization_id || '/' || b.project_id || '/asset-' || b.g || '-v' || v,
       'https://files.example.org/' || b.project_id || '/asset-' || b.g || '-v' || v,
       b.mime, (50000 + random() * 50000000)::bigint, 1920, 1080, b.category, b.status, v, v = b.versions,
       CASE WHEN v > 1 THEN uuid_generate_v5(b.project_id, b.g || '/' || (v - 1)) END,
       b.project_id, b.organization_id, b.manager_id,
       CASE WHEN b.mime LIKE 'image/%' THEN jsonb_build_object('dimensions', jsonb_build_object('width', 1920, 'height', 1080), 'colorProfile', 'sRGB', 'dpi', 300,
                                                               'layers', 1 + abs(hashtext(b.project_id || '/' || b.g)) % 24)
            ELSE '{"dpi": 300, "colorProfile": "sRGB"}'::jsonb END,
       now() - (b.versions - v + 1) * interval '9 days' - random() * interval '30 days'
FROM base b CROSS JOIN LATERAL generate_series(1, b.versions) v
ORDER BY b.project_id, b.g, v
