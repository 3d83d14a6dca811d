-- The sequence of this database closest to its limit (fluxadmin's own schema left out), as a percentage of its range used.
-- returns: value numeric (percent used, NULL without sequences), detail text
WITH used AS (
  SELECT s.*, round(100.0 * CASE WHEN s.increment_by > 0 THEN (coalesce(s.last_value, s.start_value)::numeric - s.min_value) / nullif(s.max_value::numeric - s.min_value, 0)
                                 ELSE (s.max_value::numeric - coalesce(s.last_value, s.start_value)) / nullif(s.max_value::numeric - s.min_value, 0) END, 2) AS pct,
         count(*) OVER () AS n
  FROM pg_sequences s
  WHERE NOT s.cycle AND s.schemaname <> 'fluxadmin'
)
SELECT u.pct AS value,
       CASE WHEN u.pct = 0 THEN format('no sequence above 0%% (%s sequences)', u.n)
            ELSE format('%I.%I: %s of %s (%s); move it to bigint or restart it before it runs out', u.schemaname, u.sequencename, coalesce(u.last_value::text, 'unused'),
                        CASE WHEN u.increment_by > 0 THEN u.max_value ELSE u.min_value END, u.data_type) END AS detail
FROM used u
ORDER BY u.pct DESC NULLS LAST, u.schemaname, u.sequencename
LIMIT 1
