-- Users whose preferences, or files whose metadata, do not match the documented JSONB shape: not an object, a documented path of the wrong type or value, a group (both dimensions) half present.
-- $1: shape jsonb (src/contract/jsonb.ts shapeSpec: [{path text[], type, values, min, integer, group}])
-- $2: which documents text ('users' or 'files')
-- returns: value numeric (documents that do not match), detail text
WITH spec AS (
  SELECT s.* FROM jsonb_to_recordset($1::jsonb) AS s(path text[], type text, "values" text[], min text, "integer" boolean, "group" text)
), doc AS (
  SELECT u.email AS name, u.preferences AS body FROM users u WHERE $2::text = 'users'
  UNION ALL
  SELECT f.id::text, f.metadata FROM files f WHERE $2::text = 'files'
), problem AS (
  SELECT d.name, 'not an object' AS what FROM doc d WHERE d.body IS NOT NULL AND jsonb_typeof(d.body) <> 'object'
  UNION ALL
  SELECT d.name, format('%s is not an object', array_to_string(sp.path[1:1], '.'))
  FROM doc d JOIN spec sp ON cardinality(sp.path) > 1
  WHERE jsonb_typeof(d.body) = 'object' AND d.body -> sp.path[1] IS NOT NULL AND jsonb_typeof(d.body -> sp.path[1]) <> 'object'
  UNION ALL
  SELECT d.name, format('%s is %s', array_to_string(sp.path, '.'), left(x.v::text, 40))
  FROM doc d JOIN spec sp ON true
  CROSS JOIN LATERAL (SELECT d.body #> sp.path AS v) x
  WHERE jsonb_typeof(d.body) = 'object' AND x.v IS NOT NULL AND NOT CASE
    WHEN jsonb_typeof(x.v) <> sp.type THEN false
    WHEN sp.type = 'string' THEN sp.values IS NULL OR x.v #>> '{}' = ANY (sp.values)
    WHEN sp.type = 'number' THEN (sp.min IS NULL OR (sp.min = 'positive' AND x.v::numeric > 0) OR (sp.min = 'nonNegative' AND x.v::numeric >= 0))
                                 AND (sp.integer IS NOT TRUE OR x.v::numeric = trunc(x.v::numeric))
    ELSE true END
  UNION ALL
  SELECT d.name, format('%s without %s', g.grp, array_to_string(array_agg(array_to_string(sp.path, '.') ORDER BY sp.path), ', '))
  FROM doc d JOIN (SELECT DISTINCT "group" AS grp FROM spec WHERE "group" IS NOT NULL) g ON d.body ? g.grp
  JOIN spec sp ON sp."group" = g.grp AND d.body #> sp.path IS NULL
  WHERE jsonb_typeof(d.body) = 'object'
  GROUP BY d.name, g.grp
), bad AS (
  SELECT name, string_agg(DISTINCT what, '; ' ORDER BY what) AS what FROM problem GROUP BY name
)
SELECT count(*)::numeric AS value,
       CASE WHEN count(*) = 0 THEN CASE $2::text WHEN 'users' THEN 'every user''s preferences match the documented shape' ELSE 'every file''s metadata matches the documented shape' END
            ELSE format('%s %s, e.g. %s', count(*), CASE $2::text WHEN 'users' THEN 'user(s) with preferences off the documented shape' ELSE 'file(s) with metadata off the documented shape' END,
                        (SELECT string_agg(format('%s (%s)', b.name, b.what), ', ') FROM (SELECT * FROM bad ORDER BY name LIMIT 3) b)) END AS detail
FROM bad
