-- Size of pg_wal in bytes (segments kept for archiving, slots and wal_keep_size pile up here), and default thresholds of 2 and 4 times max_wal_size + wal_keep_size.
-- returns: value numeric (bytes), default_warn numeric (bytes), default_crit numeric (bytes), detail text
WITH w AS (
  SELECT coalesce(sum(size), 0)::numeric AS bytes, count(*) AS files FROM pg_ls_waldir()
), normal AS (
  SELECT pg_size_bytes(current_setting('max_wal_size')) + pg_size_bytes(current_setting('wal_keep_size')) AS bytes
)
SELECT w.bytes AS value, 2 * normal.bytes AS default_warn, 4 * normal.bytes AS default_crit,
       format('pg_wal holds %s in %s files (max_wal_size + wal_keep_size = %s); if it keeps growing, look at the archiver and replication slots', pg_size_pretty(w.bytes), w.files, pg_size_pretty(normal.bytes)) AS detail
FROM w, normal
