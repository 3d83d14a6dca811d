-- Growth of this database in bytes per day since the oldest `stats snapshot` of the last $1 days that is at least $2 old (NULL without one).
-- $1: window_days int (snapshots older than this are not looked at)
-- $2: min_age interval (a younger snapshot gives no meaningful rate)
-- returns: value numeric (bytes per day, NULL without a snapshot), detail text
WITH base AS (
  SELECT s.taken_at, s.database_bytes
  FROM fluxadmin.stat_snapshots s
  WHERE s.database_bytes IS NOT NULL AND s.taken_at >= now() - $1::int * interval '1 day' AND s.taken_at <= now() - $2::interval
  ORDER BY s.taken_at
  LIMIT 1
), now_size AS (
  SELECT pg_database_size(current_database())::numeric AS bytes
)
SELECT round((n.bytes - b.database_bytes) / (extract(epoch FROM now() - b.taken_at) / 86400)) AS value,
       format('%s now, %s at the snapshot of %s: %s per day; plan disk space, or look for what grows (stats table-size)',
              pg_size_pretty(n.bytes), pg_size_pretty(b.database_bytes), date_trunc('second', b.taken_at),
              pg_size_pretty(round((n.bytes - b.database_bytes) / (extract(epoch FROM now() - b.taken_at) / 86400)))) AS detail
FROM base b, now_size n
