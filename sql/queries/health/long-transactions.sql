-- The oldest open transaction of any other client session on the server (or in database $1), in seconds, naming its database, client and query.
-- $1: database text or null (null = every database)
-- returns: value numeric (seconds, NULL when there is none), detail text
WITH open AS (
  SELECT a.*, now() - a.xact_start AS age
  FROM pg_stat_activity a
  WHERE ($1::text IS NULL OR a.datname = $1::text)
    AND a.pid <> pg_backend_pid()
    AND a.backend_type = 'client backend'
    AND a.xact_start IS NOT NULL
), oldest AS (
  SELECT * FROM open ORDER BY xact_start LIMIT 1
)
SELECT extract(epoch FROM (SELECT max(age) FROM open))::numeric(12, 1) AS value,
       CASE WHEN NOT EXISTS (SELECT 1 FROM oldest) THEN 'no open transactions'
            ELSE (SELECT format('%s open transaction(s); oldest: pid %s (%s) in %s from %s for %s, state %s: %s; end it or pg_terminate_backend(%s)',
                                (SELECT count(*) FROM open), o.pid, coalesce(o.usename, '?'), o.datname, coalesce(host(o.client_addr) || ':' || o.client_port, 'local'),
                                date_trunc('second', o.age), o.state, left(regexp_replace(o.query, '\s+', ' ', 'g'), 200), o.pid)
                  FROM oldest o) END AS detail
