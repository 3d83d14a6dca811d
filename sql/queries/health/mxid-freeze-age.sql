-- Multixact age of the oldest database as a percentage of autovacuum_multixact_freeze_max_age (past 100% autovacuum forces anti-wraparound vacuums), the databases nearest, and the tables of this database that come next.
-- returns: value numeric (percent of autovacuum_multixact_freeze_max_age), detail text
WITH lim AS (
  SELECT current_setting('autovacuum_multixact_freeze_max_age')::numeric AS max_age
), dbs AS (
  SELECT d.datname, mxid_age(d.datminmxid) AS mxid_age FROM pg_database d
), tables AS (
  SELECT c.oid::regclass::text AS name, mxid_age(c.relminmxid) AS mxid_age
  FROM pg_class c
  WHERE c.relkind IN ('r', 'm', 't') AND c.relminmxid <> '0'::xid
  ORDER BY mxid_age(c.relminmxid) DESC
  LIMIT 3
)
SELECT round(100.0 * (SELECT max(mxid_age) FROM dbs) / lim.max_age, 1) AS value,
       format('databases: %s; next tables here: %s; autovacuum_multixact_freeze_max_age %s. Past 100%%, find what holds the horizon (long transactions, prepared transactions) and VACUUM (FREEZE) the oldest tables',
              (SELECT string_agg(format('%s %s%%', datname, round(100.0 * mxid_age / lim.max_age, 1)), ', ' ORDER BY mxid_age DESC) FROM (SELECT * FROM dbs ORDER BY mxid_age DESC LIMIT 3) top),
              coalesce((SELECT string_agg(format('%s %s%%', name, round(100.0 * mxid_age / lim.max_age, 1)), ', ' ORDER BY mxid_age DESC) FROM tables), 'none'),
              lim.max_age) AS detail
FROM lim
