-- Sessions on the server (or in database $1) waiting for a lock another session or a prepared transaction holds, and the longest wait in seconds, naming the blocker.
-- $1: database text or null (null = every database)
-- returns: value numeric (seconds, NULL when nothing is blocked), detail text
WITH blocked AS (
  SELECT a.pid, a.datname, a.usename, a.client_addr, a.client_port, a.query, pg_blocking_pids(a.pid) AS blockers, now() - coalesce(a.state_change, a.query_start) AS waited
  FROM pg_stat_activity a
  WHERE ($1::text IS NULL OR a.datname = $1::text)
    AND a.pid <> pg_backend_pid()
    AND a.wait_event_type = 'Lock'
), longest AS (
  SELECT * FROM blocked WHERE cardinality(blockers) > 0 ORDER BY waited DESC LIMIT 1
), prepared AS (
  -- pg_blocking_pids() says 0 for a prepared transaction: find it by the lock it holds on what the session waits for.
  SELECT DISTINCT p.gid, p.owner, p.database, p.prepared
  FROM longest b
  JOIN pg_locks w ON w.pid = b.pid AND NOT w.granted
  JOIN pg_locks g ON g.granted AND g.pid IS NULL AND g.locktype = w.locktype
   AND g.database IS NOT DISTINCT FROM w.database AND g.relation IS NOT DISTINCT FROM w.relation
   AND g.page IS NOT DISTINCT FROM w.page AND g.tuple IS NOT DISTINCT FROM w.tuple
   AND g.transactionid IS NOT DISTINCT FROM w.transactionid
   AND g.classid IS NOT DISTINCT FROM w.classid AND g.objid IS NOT DISTINCT FROM w.objid AND g.objsubid IS NOT DISTINCT FROM w.objsubid
  -- Its locks have no pid: it is the prepared transaction whose xid lock shares their virtualtransaction.
  JOIN pg_locks x ON x.pid IS NULL AND x.granted AND x.locktype = 'transactionid' AND x.virtualtransaction = g.virtualtransaction
  JOIN pg_prepared_xacts p ON p.transaction = x.transactionid
)
SELECT extract(epoch FROM (SELECT max(waited) FROM blocked WHERE cardinality(blockers) > 0))::numeric(12, 1) AS value,
       CASE WHEN NOT EXISTS (SELECT 1 FROM longest) THEN 'no blocked sessions'
            ELSE (SELECT format('%s blocked session(s); longest: pid %s (%s) in %s from %s blocked by %s for %s: %s',
                                (SELECT count(*) FROM blocked WHERE cardinality(blockers) > 0), l.pid, coalesce(l.usename, '?'), l.datname,
                                coalesce(host(l.client_addr) || ':' || l.client_port, 'local'),
                                concat_ws(', ', nullif(array_to_string(array_remove(l.blockers, 0), ','), ''),
                                          (SELECT string_agg(format('prepared transaction %L (owner %s, database %s, prepared %s ago; COMMIT PREPARED or ROLLBACK PREPARED it)',
                                                                    p.gid, p.owner, p.database, date_trunc('second', now() - p.prepared)), ', ' ORDER BY p.prepared)
                                           FROM prepared p),
                                          CASE WHEN 0 = ANY (l.blockers) AND NOT EXISTS (SELECT 1 FROM prepared) THEN 'a prepared transaction (see pg_prepared_xacts)' END),
                                date_trunc('second', l.waited), left(regexp_replace(l.query, '\s+', ' ', 'g'), 200))
                  FROM longest l) END AS detail
