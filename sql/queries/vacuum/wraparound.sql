-- Transaction-ID and multixact ages of every database and of the oldest tables of this one, as a percentage of autovacuum_(multixact_)freeze_max_age and of the 2^31 wraparound limit.
-- $1: table_limit int (how many of the oldest tables of the current database)
-- returns: level text (database or table), name text, xid_age int, xid_pct_freeze_max_age numeric, xid_pct_wraparound numeric, mxid_age int, mxid_pct_freeze_max_age numeric, mxid_pct_wraparound numeric
WITH s AS (
  SELECT current_setting('autovacuum_freeze_max_age')::numeric AS fma,
         current_setting('autovacuum_multixact_freeze_max_age')::numeric AS mfma,
         2147483648::numeric AS lim
), objs AS (
  SELECT 'database' AS level, 0 AS ord, d.datname::text AS name, age(d.datfrozenxid) AS xid_age, mxid_age(d.datminmxid) AS mxid_age
  FROM pg_database d
  WHERE d.datallowconn OR age(d.datfrozenxid) > 0
  UNION ALL
  SELECT * FROM (
    SELECT 'table', 1, format('%I.%I', n.nspname, c.relname), age(c.relfrozenxid), mxid_age(c.relminmxid)
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'm', 't') AND c.relfrozenxid <> '0'::xid
    ORDER BY age(c.relfrozenxid) DESC, 3
    LIMIT $1
  ) oldest
)
SELECT o.level, o.name, o.xid_age,
       round(100 * o.xid_age / s.fma, 2) AS xid_pct_freeze_max_age,
       round(100 * o.xid_age / s.lim, 4) AS xid_pct_wraparound,
       o.mxid_age,
       round(100 * o.mxid_age / s.mfma, 2) AS mxid_pct_freeze_max_age,
       round(100 * o.mxid_age / s.lim, 4) AS mxid_pct_wraparound
FROM objs o CROSS JOIN s
ORDER BY o.ord, o.xid_age DESC, o.name
