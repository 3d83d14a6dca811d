-- Age of the oldest database's transaction IDs ($1 = 'xid': datfrozenxid) or multixacts ($1 = 'multixact': datminmxid) as a percentage of the setting $2 (past 100% autovacuum forces anti-wraparound vacuums), the databases nearest, and the tables of this database that come next.
-- $1: kind text ('xid' or 'multixact')
-- $2: setting text (autovacuum_freeze_max_age or autovacuum_multixact_freeze_max_age)
-- returns: value numeric (percent of the setting), detail text
WITH lim AS (
  SELECT current_setting($2::text)::numeric AS max_age
), dbs AS (
  SELECT d.datname, CASE WHEN $1::text = 'xid' THEN age(d.datfrozenxid) ELSE mxid_age(d.datminmxid) END AS age FROM pg_database d
), tables AS (
  SELECT c.oid::regclass::text AS name, CASE WHEN $1::text = 'xid' THEN age(c.relfrozenxid) ELSE mxid_age(c.relminmxid) END AS age
  FROM pg_class c
  WHERE c.relkind IN ('r', 'm', 't') AND CASE WHEN $1::text = 'xid' THEN c.relfrozenxid ELSE c.relminmxid END <> '0'::xid
  ORDER BY 2 DESC
  LIMIT 3
)
SELECT round(100.0 * (SELECT max(age) FROM dbs) / lim.max_age, 1) AS value,
       format('databases: %s; next tables here: %s; %s %s. Past 100%%, find what holds the horizon (long or prepared transactions, replication slots) and VACUUM (FREEZE) the oldest tables',
              (SELECT string_agg(format('%s %s%%', datname, round(100.0 * age / lim.max_age, 1)), ', ' ORDER BY age DESC) FROM (SELECT * FROM dbs ORDER BY age DESC LIMIT 3) top),
              coalesce((SELECT string_agg(format('%s %s%%', name, round(100.0 * age / lim.max_age, 1)), ', ' ORDER BY age DESC) FROM tables), 'none'),
              $2::text, lim.max_age) AS detail
FROM lim
