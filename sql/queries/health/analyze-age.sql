-- The longest time any table of this database with at least $1 rows changed since its last analyze has gone without a (auto)analyze, in seconds (never = since the statistics were reset or the server started).
-- $1: min_changes bigint (tables with fewer changes need no analyze and are left out)
-- returns: value numeric (seconds, NULL when no table qualifies), detail text
WITH since AS (
  SELECT coalesce((SELECT stats_reset FROM pg_stat_database WHERE datname = current_database()), pg_postmaster_start_time()) AS t
)
SELECT extract(epoch FROM now() - coalesce(greatest(s.last_analyze, s.last_autoanalyze), since.t))::numeric(14, 1) AS value,
       format('%I.%I: %s rows changed, last analyze %s', s.schemaname, s.relname, s.n_mod_since_analyze,
              coalesce(date_trunc('second', greatest(s.last_analyze, s.last_autoanalyze))::text, 'never')) AS detail
FROM pg_stat_user_tables s CROSS JOIN since
WHERE s.n_mod_since_analyze >= $1::bigint
ORDER BY coalesce(greatest(s.last_analyze, s.last_autoanalyze), since.t), s.relname
LIMIT 1
