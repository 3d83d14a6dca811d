-- The longest time any table of this database with at least $1 dead tuples has gone without a (auto)vacuum, in seconds (never = since the statistics were reset or the server started).
-- $1: min_dead_tuples bigint (tables with fewer dead tuples need no vacuum and are left out)
-- returns: value numeric (seconds, NULL when no table qualifies), detail text
WITH since AS (
  SELECT coalesce((SELECT stats_reset FROM pg_stat_database WHERE datname = current_database()), pg_postmaster_start_time()) AS t
)
SELECT extract(epoch FROM now() - coalesce(greatest(s.last_vacuum, s.last_autovacuum), since.t))::numeric(14, 1) AS value,
       format('%I.%I: %s dead tuples, last vacuum %s', s.schemaname, s.relname, s.n_dead_tup,
              coalesce(date_trunc('second', greatest(s.last_vacuum, s.last_autovacuum))::text, 'never')) AS detail
FROM pg_stat_user_tables s CROSS JOIN since
WHERE s.n_dead_tup >= $1::bigint
ORDER BY coalesce(greatest(s.last_vacuum, s.last_autovacuum), since.t), s.relname
LIMIT 1
