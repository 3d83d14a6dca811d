-- Sessions of this database that hold or wait for a lock a plain read would queue behind (ACCESS EXCLUSIVE on a table, its index or TOAST), oldest first: what a diagnostic skips, and who to name.
-- returns: pid int (null for a prepared transaction), granted boolean, mode text, relation oid, table_oid oid (the table the index or TOAST table belongs to, else relation), relation_name text, table_name text (schema-qualified), table_schema text, user text, application text, state text, xact_age_s numeric, wait_s numeric, prepared_gid text
SELECT l.pid,
       l.granted,
       l.mode,
       l.relation,
       coalesce(x.indrelid, t.oid, l.relation) AS table_oid,
       coalesce(format('%I.%I', n.nspname, c.relname), l.relation::text) AS relation_name,
       coalesce(format('%I.%I', tn.nspname, tc.relname), l.relation::text) AS table_name,
       tn.nspname::text AS table_schema,
       coalesce(s.usename::text, p.owner::text) AS user,
       s.application_name AS application,
       s.state,
       round(extract(epoch FROM clock_timestamp() - coalesce(s.xact_start, p.prepared))::numeric, 1) AS xact_age_s,
       round(extract(epoch FROM clock_timestamp() - l.waitstart)::numeric, 1) AS wait_s,
       p.gid AS prepared_gid
FROM pg_locks l
LEFT JOIN pg_class c ON c.oid = l.relation
LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_index x ON x.indexrelid = l.relation
LEFT JOIN pg_class t ON t.reltoastrelid = l.relation
LEFT JOIN pg_class tc ON tc.oid = coalesce(x.indrelid, t.oid, l.relation)
LEFT JOIN pg_namespace tn ON tn.oid = tc.relnamespace
LEFT JOIN pg_stat_activity s ON s.pid = l.pid
LEFT JOIN pg_locks xl ON l.pid IS NULL AND xl.pid IS NULL AND xl.locktype = 'transactionid' AND xl.virtualtransaction = l.virtualtransaction
LEFT JOIN pg_prepared_xacts p ON p.transaction = xl.transactionid
WHERE l.locktype = 'relation' AND l.mode = 'AccessExclusiveLock'
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.pid IS DISTINCT FROM pg_backend_pid()
ORDER BY l.granted DESC, coalesce(s.xact_start, p.prepared), l.pid
