-- The highest dead-tuple ratio of any table of this database with at least $1 dead tuples, in percent: n_dead_tup / (live + n_dead_tup), where live is n_live_tup or, when a statistics reset left that too low, reltuples.
-- $1: min_dead_tuples bigint (smaller tables are left out)
-- returns: value numeric (percent dead, NULL when no table qualifies), detail text
WITH t AS (
  SELECT s.schemaname, s.relname, s.n_dead_tup, s.last_vacuum, s.last_autovacuum, c.reloptions,
         greatest(s.n_live_tup, c.reltuples::bigint) + s.n_dead_tup AS total
  FROM pg_stat_user_tables s
  JOIN pg_class c ON c.oid = s.relid
  WHERE s.n_dead_tup >= $1::bigint
)
SELECT round(100.0 * t.n_dead_tup / nullif(t.total, 0), 1) AS value,
       format('%I.%I: %s dead of %s tuples, autovacuum %s, last vacuum %s', t.schemaname, t.relname, t.n_dead_tup, t.total,
              CASE WHEN EXISTS (SELECT 1 FROM pg_options_to_table(t.reloptions) o WHERE o.option_name = 'autovacuum_enabled' AND NOT o.option_value::boolean) THEN 'disabled' ELSE 'enabled' END,
              coalesce(date_trunc('second', greatest(t.last_vacuum, t.last_autovacuum))::text, 'never')) AS detail
FROM t
ORDER BY t.n_dead_tup::numeric / nullif(t.total, 0) DESC NULLS LAST, t.n_dead_tup DESC
LIMIT 1
