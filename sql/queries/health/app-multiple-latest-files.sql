-- File version chains (a root file and every version descending from it through parent_file_id) with more than one is_latest file.
-- returns: value numeric (chains), detail text
WITH RECURSIVE chain AS (
  SELECT f.id AS root_id, f.id, f.is_latest FROM files f WHERE f.parent_file_id IS NULL
  UNION ALL
  SELECT c.root_id, f.id, f.is_latest FROM files f JOIN chain c ON f.parent_file_id = c.id
), bad AS (
  SELECT root_id, count(*) FILTER (WHERE is_latest) AS latest FROM chain GROUP BY root_id HAVING count(*) FILTER (WHERE is_latest) > 1
)
SELECT count(*)::numeric AS value,
       CASE WHEN count(*) = 0 THEN 'every version chain has at most one latest file'
            ELSE format('%s chain(s) with several latest files, e.g. root file %s (%s latest)', count(*), (array_agg(root_id ORDER BY latest DESC, root_id))[1], max(latest)) END AS detail
FROM bad
