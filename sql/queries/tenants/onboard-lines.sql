-- The line of the onboarding file where each of the given records starts: the header is line 1, and a
-- quoted field with line breaks moves the records after it down (only run to report bad records).
-- $1: record numbers int[] (onboard_raw.n)
-- returns: n int, line int
-- requires: temp table onboard_raw (tenants/onboard-create-raw in the same transaction)
SELECT n, line
FROM (
  SELECT n, n + 1 + coalesce(sum(breaks) OVER (ORDER BY n ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::int AS line
  FROM (
    SELECT n, length(concat(c1, c2, c3, c4, c5)) - length(replace(concat(c1, c2, c3, c4, c5), E'\n', '')) AS breaks
    FROM onboard_raw
  ) records
) numbered
WHERE n = ANY ($1::int[])
