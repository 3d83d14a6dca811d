-- What holds the xmin horizon back, oldest first: sessions with an old backend_xmin or backend_xid, replication slots (xmin, catalog_xmin), prepared transactions, and standbys with hot_standby_feedback (pg_stat_replication.backend_xmin); VACUUM cannot remove rows deleted after it.
-- returns: kind text (session, replication_slot, prepared_transaction, standby), pid int, name text (application, slot, gid or standby), user text, database text (null: every database), state text, xmin text, xmin_age int (transactions), catalog_xmin_age int (slots), held_s numeric (seconds, null when the server does not say), this_database boolean (holds back this database's tables), query text
WITH h AS (
  SELECT 'session' AS kind, s.pid, s.application_name AS name, s.usename::text AS user, s.datname::text AS database, s.state,
         coalesce(s.backend_xid, s.backend_xmin) AS oldest, NULL::xid AS catalog_xmin,
         extract(epoch FROM clock_timestamp() - s.xact_start) AS held_s, s.query
  FROM pg_stat_activity s
  WHERE s.pid <> pg_backend_pid() AND s.backend_type <> 'walsender' AND (s.backend_xmin IS NOT NULL OR s.backend_xid IS NOT NULL)
  UNION ALL
  SELECT 'replication_slot', r.active_pid, r.slot_name::text, NULL, r.database::text, CASE WHEN r.active THEN 'active' ELSE 'inactive' END,
         r.xmin, r.catalog_xmin, NULL, format('%s slot%s', r.slot_type, coalesce(', plugin ' || r.plugin, ''))
  FROM pg_replication_slots r
  WHERE r.xmin IS NOT NULL OR r.catalog_xmin IS NOT NULL
  UNION ALL
  SELECT 'prepared_transaction', NULL, p.gid, p.owner::text, p.database::text, 'prepared', p.transaction, NULL,
         extract(epoch FROM clock_timestamp() - p.prepared), NULL
  FROM pg_prepared_xacts p
  UNION ALL
  SELECT 'standby', r.pid, r.application_name, r.usename::text, NULL, r.state, r.backend_xmin, NULL, NULL,
         format('hot_standby_feedback from %s', coalesce(host(r.client_addr), 'local'))
  FROM pg_stat_replication r
  WHERE r.backend_xmin IS NOT NULL
)
SELECT h.kind, h.pid, h.name, h.user, h.database, h.state,
       h.oldest::text AS xmin,
       age(h.oldest) AS xmin_age,
       age(h.catalog_xmin) AS catalog_xmin_age,
       round(h.held_s::numeric, 1) AS held_s,
       h.database IS NULL OR h.kind = 'replication_slot' OR h.database = current_database() AS this_database,
       h.query
FROM h
ORDER BY greatest(coalesce(age(h.oldest), 0), coalesce(age(h.catalog_xmin), 0)) DESC, h.held_s DESC NULLS LAST, h.pid
