-- The highest dead-tuple ratio of any table of this database with at least $1 dead tuples, in percent.
-- $1: min_dead_tuples bigint (smaller tables are left out)
-- returns: value numeric (percent dead, NULL when no table qualifies), detail text
SELECT round(100.0 * s.n_dead_tup / nullif(s.n_live_tup + s.n_dead_tup, 0), 1) AS value,
       format('%I.%I: %s dead of %s tuples, autovacuum %s, last vacuum %s', s.schemaname, s.relname, s.n_dead_tup, s.n_live_tup + s.n_dead_tup,
              CASE WHEN EXISTS (SELECT 1 FROM pg_options_to_table(c.reloptions) o WHERE o.option_name = 'autovacuum_enabled' AND NOT o.option_value::boolean) THEN 'disabled' ELSE 'enabled' END,
              coalesce(date_trunc('second', greatest(s.last_vacuum, s.last_autovacuum))::text, 'never')) AS detail
FROM pg_stat_user_tables s
JOIN pg_class c ON c.oid = s.relid
WHERE s.n_dead_tup >= $1::bigint
ORDER BY s.n_dead_tup::numeric / nullif(s.n_live_tup + s.n_dead_tup, 0) DESC NULLS LAST, s.n_dead_tup DESC
LIMIT 1
