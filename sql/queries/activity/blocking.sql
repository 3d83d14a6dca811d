-- Sessions that wait for a lock or hold one that others wait for, with every pid that blocks them (this session left out); a prepared transaction that blocks is a row with pid 0 (what pg_blocking_pids says for it) and its gid.
-- returns: pid int, blocked_by int[], waiting_mode text, held_modes text, locktype text, relation text, wait_s numeric, xact_age_s numeric, state text, database text, user text, application text, query text, prepared_gid text, client text (address:port, local, or null for a prepared transaction)
WITH a AS (
  SELECT s.pid, s.datname, s.usename, s.application_name, s.state, s.xact_start, s.query, s.client_addr, s.client_port,
         CASE WHEN s.wait_event_type = 'Lock' THEN pg_blocking_pids(s.pid) ELSE '{}'::int[] END AS blockers
  FROM pg_stat_activity s
  WHERE s.pid <> pg_backend_pid()
), involved AS (
  SELECT a.* FROM a
  WHERE cardinality(a.blockers) > 0 OR EXISTS (SELECT 1 FROM a b WHERE a.pid = ANY (b.blockers))
), waiting AS (
  SELECT DISTINCT ON (l.pid) l.*
  FROM pg_locks l
  WHERE NOT l.granted AND l.pid IN (SELECT pid FROM involved)
  ORDER BY l.pid, l.waitstart
), held AS (
  -- Locks granted to a blocker on the very object someone waits for.
  SELECT g.pid, string_agg(DISTINCT g.mode, ', ') AS modes, min(g.locktype) AS locktype, min(g.relation::text)::oid AS relation, min(g.database::text)::oid AS database
  FROM pg_locks g
  JOIN waiting w ON g.granted AND g.pid <> w.pid AND g.locktype = w.locktype
   AND g.database IS NOT DISTINCT FROM w.database AND g.relation IS NOT DISTINCT FROM w.relation
   AND g.page IS NOT DISTINCT FROM w.page AND g.tuple IS NOT DISTINCT FROM w.tuple
   AND g.transactionid IS NOT DISTINCT FROM w.transactionid AND g.virtualxid IS NOT DISTINCT FROM w.virtualxid
   AND g.classid IS NOT DISTINCT FROM w.classid AND g.objid IS NOT DISTINCT FROM w.objid AND g.objsubid IS NOT DISTINCT FROM w.objsubid
  GROUP BY g.pid
), prepared AS (
  -- Locks of a prepared transaction have no pid: it is the one whose xid lock shares their virtualtransaction.
  SELECT p.gid, p.owner, p.database, p.prepared, string_agg(DISTINCT g.mode, ', ') AS modes, min(g.locktype) AS locktype,
         min(g.relation::text)::oid AS relation, min(g.database::text)::oid AS dboid
  FROM pg_locks g
  JOIN waiting w ON g.granted AND g.pid IS NULL AND g.locktype = w.locktype
   AND g.database IS NOT DISTINCT FROM w.database AND g.relation IS NOT DISTINCT FROM w.relation
   AND g.page IS NOT DISTINCT FROM w.page AND g.tuple IS NOT DISTINCT FROM w.tuple
   AND g.transactionid IS NOT DISTINCT FROM w.transactionid
   AND g.classid IS NOT DISTINCT FROM w.classid AND g.objid IS NOT DISTINCT FROM w.objid AND g.objsubid IS NOT DISTINCT FROM w.objsubid
  JOIN pg_locks x ON x.pid IS NULL AND x.granted AND x.locktype = 'transactionid' AND x.virtualtransaction = g.virtualtransaction
  JOIN pg_prepared_xacts p ON p.transaction = x.transactionid
  GROUP BY p.gid, p.owner, p.database, p.prepared
)
SELECT i.pid,
       i.blockers AS blocked_by,
       w.mode AS waiting_mode,
       h.modes AS held_modes,
       coalesce(w.locktype, h.locktype) AS locktype,
       CASE
         WHEN coalesce(w.relation, h.relation) IS NULL THEN NULL
         WHEN coalesce(w.database, h.database) = (SELECT oid FROM pg_database WHERE datname = current_database()) THEN coalesce(w.relation, h.relation)::regclass::text
         ELSE coalesce(w.relation, h.relation)::text
       END AS relation,
       round(extract(epoch FROM clock_timestamp() - w.waitstart)::numeric, 3) AS wait_s,
       round(extract(epoch FROM clock_timestamp() - i.xact_start)::numeric, 3) AS xact_age_s,
       i.state,
       i.datname::text AS database,
       i.usename::text AS user,
       i.application_name AS application,
       i.query,
       NULL::text AS prepared_gid,
       coalesce(host(i.client_addr) || ':' || i.client_port, 'local') AS client
FROM involved i
LEFT JOIN waiting w ON w.pid = i.pid
LEFT JOIN held h ON h.pid = i.pid
UNION ALL
SELECT 0, '{}'::int[], NULL, p.modes, p.locktype,
       CASE WHEN p.relation IS NULL THEN NULL
            WHEN p.dboid = (SELECT oid FROM pg_database WHERE datname = current_database()) THEN p.relation::regclass::text
            ELSE p.relation::text END,
       NULL, round(extract(epoch FROM clock_timestamp() - p.prepared)::numeric, 3), 'prepared', p.database::text, p.owner::text, NULL,
       format('PREPARED TRANSACTION %L: COMMIT PREPARED or ROLLBACK PREPARED it in database %s', p.gid, p.database), p.gid, NULL
FROM prepared p
ORDER BY 1
