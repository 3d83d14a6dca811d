-- Sessions on the server (or in database $1) idle inside a transaction, and the longest such wait in seconds, naming its database, client and last query.
-- $1: database text or null (null = every database)
-- returns: value numeric (seconds, NULL when there is none), detail text
WITH idle AS (
  SELECT a.*, now() - a.state_change AS idle_for
  FROM pg_stat_activity a
  WHERE ($1::text IS NULL OR a.datname = $1::text)
    AND a.pid <> pg_backend_pid()
    AND a.state IN ('idle in transaction', 'idle in transaction (aborted)')
), longest AS (
  SELECT * FROM idle ORDER BY state_change LIMIT 1
)
SELECT extract(epoch FROM (SELECT max(idle_for) FROM idle))::numeric(12, 1) AS value,
       CASE WHEN NOT EXISTS (SELECT 1 FROM longest) THEN 'no idle-in-transaction sessions'
            ELSE (SELECT format('%s idle-in-transaction session(s); longest: pid %s (%s) in %s from %s idle for %s after: %s; fix the client or set idle_in_transaction_session_timeout',
                                (SELECT count(*) FROM idle), l.pid, coalesce(l.usename, '?'), l.datname, coalesce(host(l.client_addr) || ':' || l.client_port, 'local'),
                                date_trunc('second', l.idle_for), left(regexp_replace(l.query, '\s+', ' ', 'g'), 200))
                  FROM longest l) END AS detail
