-- Buffer cache hit ratio of this database in percent, once at least $1 blocks have been read.
-- $1: min_blocks bigint (fewer block accesses give no meaningful ratio)
-- returns: value numeric (percent, NULL with too few accesses), detail text
SELECT CASE WHEN blks_hit + blks_read >= $1::bigint THEN round(100.0 * blks_hit / (blks_hit + blks_read), 2) END AS value,
       format('%s hits, %s reads since %s', blks_hit, blks_read, coalesce(date_trunc('second', stats_reset)::text, 'server start')) AS detail
FROM pg_stat_database
WHERE datname = current_database()
