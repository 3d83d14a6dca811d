-- An organization's files, newest first, with the documented metadata as columns, one keyset page (never OFFSET).
-- $1: organization id uuid
-- $2: missing paths jsonb or null (a JSON array of paths, each an array of keys: a file is listed when any of them is absent)
-- $3: mime_type pattern text or null (LIKE, e.g. image/%)
-- $4: after_created_us bigint (keyset cursor: created_at of the last row of the previous page in microseconds; NULL when it had none)
-- $5: after_id uuid (keyset cursor: id of that row; NULL: first page)
-- $6: limit int (rows to return)
-- returns: id uuid, name text, mime_type text, size bigint, version int, is_latest boolean, project text, width jsonb, height jsonb, dpi jsonb, color_profile text, layers jsonb, created_at timestamptz, created_us bigint
SELECT f.id, f.name, f.mime_type, f.file_size AS size, f.version, coalesce(f.is_latest, true) AS is_latest, p.slug AS project,
       f.metadata #> '{dimensions,width}' AS width, f.metadata #> '{dimensions,height}' AS height, f.metadata -> 'dpi' AS dpi,
       f.metadata ->> 'colorProfile' AS color_profile, f.metadata -> 'layers' AS layers, f.created_at,
       (extract(epoch FROM f.created_at) * 1000000)::bigint AS created_us
FROM files f
LEFT JOIN projects p ON p.id = f.project_id
WHERE f.organization_id = $1::uuid
  AND ($2::jsonb IS NULL OR EXISTS (
        SELECT 1 FROM jsonb_array_elements($2::jsonb) AS want(path)
        WHERE f.metadata #> ARRAY(SELECT jsonb_array_elements_text(want.path)) IS NULL))
  AND ($3::text IS NULL OR f.mime_type LIKE $3::text)
  AND ($5::uuid IS NULL
       OR (coalesce(f.created_at, '-infinity'), f.id) < (coalesce(timestamptz 'epoch' + $4::bigint * interval '1 microsecond', '-infinity'), $5::uuid))
ORDER BY coalesce(f.created_at, '-infinity') DESC, f.id DESC
LIMIT $6::int
