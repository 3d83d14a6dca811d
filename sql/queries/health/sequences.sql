-- The sequence of this database closest to its limit, as a percentage of its range used.
-- returns: value numeric (percent used, NULL without sequences), detail text
SELECT round(100.0 * CASE WHEN s.increment_by > 0 THEN (coalesce(s.last_value, s.start_value)::numeric - s.min_value) / nullif(s.max_value::numeric - s.min_value, 0)
                          ELSE (s.max_value::numeric - coalesce(s.last_value, s.start_value)) / nullif(s.max_value::numeric - s.min_value, 0) END, 2) AS value,
       format('%I.%I: %s of %s (%s)', s.schemaname, s.sequencename, coalesce(s.last_value::text, 'unused'),
              CASE WHEN s.increment_by > 0 THEN s.max_value ELSE s.min_value END, s.data_type) AS detail
FROM pg_sequences s
WHERE NOT s.cycle
ORDER BY 1 DESC NULLS LAST
LIMIT 1
