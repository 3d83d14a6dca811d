-- WAL archiving (pg_stat_archiver): .ready segments waiting, failures since the last success, whether the last attempt failed, and the age of the last archived segment against archive_timeout.
-- returns: value numeric (segments waiting to be archived), failing boolean (last failure newer than last success), stale boolean (nothing archived for 2 x archive_timeout while segments wait), off boolean (archive_mode off), detail text
WITH a AS (
  SELECT s.*, current_setting('archive_mode') AS mode, current_setting('archive_timeout')::int AS timeout_s,
         (SELECT count(*) FROM pg_ls_archive_statusdir() f WHERE f.name LIKE '%.ready') AS ready,
         CASE WHEN s.failed_count > 0 AND s.last_failed_time > coalesce(s.last_archived_time, '-infinity') THEN true ELSE false END AS failing
  FROM pg_stat_archiver s
)
SELECT a.ready::numeric AS value,
       a.failing,
       (a.timeout_s > 0 AND a.ready > 0 AND coalesce(a.last_archived_time, a.stats_reset) < now() - 2 * a.timeout_s * interval '1 second') AS stale,
       a.mode = 'off' AS off,
       CASE WHEN a.mode = 'off' THEN 'archiving off'
            ELSE concat_ws('; ',
                   format('%s segment(s) waiting', a.ready),
                   CASE WHEN a.failing THEN format('archive_command failing: last failure %s at %s (%s failures since the last success at %s); fix archive_command and check the archive destination',
                                                 a.last_failed_wal, date_trunc('second', a.last_failed_time),
                                                 a.failed_count, coalesce(date_trunc('second', a.last_archived_time)::text, 'never')) END,
                   format('last archived %s %s', coalesce(a.last_archived_wal, 'nothing'), coalesce(date_trunc('second', now() - a.last_archived_time)::text || ' ago', 'since the statistics reset')),
                   CASE WHEN a.timeout_s > 0 THEN format('archive_timeout %ss', a.timeout_s) END) END AS detail
FROM a
