-- Per table: live and dead tuples, last (auto)vacuum and (auto)analyze, and whether autovacuum is due now from the table's effective thresholds (server settings overridden by reloptions).
-- $1: sort text ('dead' = most dead tuples first, 'last-vacuum' = longest unvacuumed first, anything else = by name)
-- $2: table_filter text (only tables whose schema-qualified name contains this, NULL = all)
-- returns: table_name text, live_tuples bigint, dead_tuples bigint, dead_ratio numeric (percent), last_vacuum timestamptz, last_autovacuum timestamptz, last_analyze timestamptz, last_autoanalyze timestamptz, vacuum_count bigint, autovacuum_count bigint, analyze_count bigint, autoanalyze_count bigint, autovacuum_enabled boolean, vacuum_threshold numeric, insert_threshold numeric, analyze_threshold numeric, xid_age int, freeze_max_age bigint, vacuum_due boolean, analyze_due boolean, due_reason text
WITH opts AS (
  SELECT c.oid, c.reltuples, age(c.relfrozenxid) AS xid_age,
         (SELECT jsonb_object_agg(o.option_name, o.option_value) FROM pg_options_to_table(c.reloptions) o) AS o
  FROM pg_class c
  WHERE c.relkind IN ('r', 'm', 'p')
), eff AS (
  SELECT s.relid, greatest(opts.reltuples, 0) AS reltuples, opts.xid_age,
         coalesce((opts.o ->> 'autovacuum_enabled')::boolean, true) AND current_setting('autovacuum')::boolean AS enabled,
         coalesce((opts.o ->> 'autovacuum_vacuum_threshold')::numeric, current_setting('autovacuum_vacuum_threshold')::numeric) AS vt,
         coalesce((opts.o ->> 'autovacuum_vacuum_scale_factor')::numeric, current_setting('autovacuum_vacuum_scale_factor')::numeric) AS vs,
         coalesce((opts.o ->> 'autovacuum_vacuum_insert_threshold')::numeric, current_setting('autovacuum_vacuum_insert_threshold')::numeric) AS it,
         coalesce((opts.o ->> 'autovacuum_vacuum_insert_scale_factor')::numeric, current_setting('autovacuum_vacuum_insert_scale_factor')::numeric) AS "is",
         coalesce((opts.o ->> 'autovacuum_analyze_threshold')::numeric, current_setting('autovacuum_analyze_threshold')::numeric) AS at,
         coalesce((opts.o ->> 'autovacuum_analyze_scale_factor')::numeric, current_setting('autovacuum_analyze_scale_factor')::numeric) AS "as",
         least(coalesce((opts.o ->> 'autovacuum_freeze_max_age')::bigint, current_setting('autovacuum_freeze_max_age')::bigint),
               current_setting('autovacuum_freeze_max_age')::bigint) AS fma
  FROM pg_stat_user_tables s
  JOIN opts ON opts.oid = s.relid
), t AS (
  SELECT format('%I.%I', s.schemaname, s.relname) AS table_name,
         s.n_live_tup AS live_tuples, s.n_dead_tup AS dead_tuples,
         round(100.0 * s.n_dead_tup / nullif(s.n_live_tup + s.n_dead_tup, 0), 2) AS dead_ratio,
         s.last_vacuum, s.last_autovacuum, s.last_analyze, s.last_autoanalyze,
         s.vacuum_count, s.autovacuum_count, s.analyze_count, s.autoanalyze_count,
         e.enabled AS autovacuum_enabled,
         round(e.vt + e.vs * e.reltuples) AS vacuum_threshold,
         CASE WHEN e.it >= 0 THEN round(e.it + e."is" * e.reltuples) END AS insert_threshold,
         round(e.at + e."as" * e.reltuples) AS analyze_threshold,
         e.xid_age, e.fma AS freeze_max_age,
         s.n_dead_tup > e.vt + e.vs * e.reltuples AS dead_due,
         e.it >= 0 AND s.n_ins_since_vacuum > e.it + e."is" * e.reltuples AS insert_due,
         e.xid_age > e.fma AS freeze_due,
         s.n_mod_since_analyze > e.at + e."as" * e.reltuples AS analyze_due_raw
  FROM pg_stat_user_tables s
  JOIN eff e ON e.relid = s.relid
  WHERE $2::text IS NULL OR strpos(format('%I.%I', s.schemaname, s.relname), $2::text) > 0
)
SELECT table_name, live_tuples, dead_tuples, coalesce(dead_ratio, 0) AS dead_ratio,
       last_vacuum, last_autovacuum, last_analyze, last_autoanalyze,
       vacuum_count, autovacuum_count, analyze_count, autoanalyze_count,
       autovacuum_enabled, vacuum_threshold, insert_threshold, analyze_threshold, xid_age, freeze_max_age,
       freeze_due OR (autovacuum_enabled AND (dead_due OR insert_due)) AS vacuum_due,
       autovacuum_enabled AND analyze_due_raw AS analyze_due,
       concat_ws(', ',
         CASE WHEN freeze_due THEN 'wraparound (xid age > freeze_max_age)' END,
         CASE WHEN autovacuum_enabled AND dead_due THEN 'dead tuples > vacuum threshold' END,
         CASE WHEN autovacuum_enabled AND insert_due THEN 'inserts > insert threshold' END,
         CASE WHEN autovacuum_enabled AND analyze_due_raw THEN 'changes > analyze threshold' END,
         CASE WHEN NOT autovacuum_enabled AND (dead_due OR insert_due OR analyze_due_raw) THEN 'over threshold but autovacuum disabled' END) AS due_reason
FROM t
ORDER BY CASE WHEN $1::text = 'dead' THEN dead_tuples END DESC NULLS LAST,
         CASE WHEN $1::text = 'last-vacuum' THEN greatest(last_vacuum, last_autovacuum) END ASC NULLS FIRST,
         table_name
