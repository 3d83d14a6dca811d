-- Estimated table and index bloat from planner statistics (the check_postgres / pg-extras estimate; needs ANALYZE, no extension), largest waste first.
-- $1: min_wasted_bytes bigint (leave out objects wasting less)
-- $2: row_limit int (at most this many rows)
-- returns: object_type text (table or index), table_name text, index_name text, bloat_ratio numeric (actual pages / expected pages), actual_bytes bigint, wasted_bytes bigint, wasted text
WITH constants AS (
  SELECT current_setting('block_size')::numeric AS bs, 23 AS hdr, 4 AS ma
), bloat_info AS (
  SELECT ma, bs, schemaname, tablename,
         (datawidth + (hdr + ma - (CASE WHEN hdr % ma = 0 THEN ma ELSE hdr % ma END)))::numeric AS datahdr,
         (maxfracsum * (nullhdr + ma - (CASE WHEN nullhdr % ma = 0 THEN ma ELSE nullhdr % ma END))) AS nullhdr2
  FROM (
    SELECT s.schemaname, s.tablename, hdr, ma, bs,
           sum((1 - s.null_frac) * s.avg_width) AS datawidth,
           max(s.null_frac) AS maxfracsum,
           hdr + (SELECT 1 + count(*) / 8 FROM pg_stats s2
                  WHERE s2.null_frac <> 0 AND s2.schemaname = s.schemaname AND s2.tablename = s.tablename) AS nullhdr
    FROM pg_stats s, constants
    WHERE s.schemaname NOT IN ('pg_catalog', 'information_schema')
    GROUP BY 1, 2, 3, 4, 5
  ) AS foo
), table_bloat AS (
  SELECT nn.nspname AS schemaname, cc.relname AS tablename, cc.oid, cc.relpages, bs,
         ceil((cc.reltuples * ((datahdr + ma - (CASE WHEN datahdr % ma = 0 THEN ma ELSE datahdr % ma END)) + nullhdr2 + 4)) / (bs - 20::float)) AS otta
  FROM bloat_info
  JOIN pg_namespace nn ON nn.nspname = bloat_info.schemaname
  JOIN pg_class cc ON cc.relname = bloat_info.tablename AND cc.relnamespace = nn.oid AND cc.relkind IN ('r', 'm')
), index_bloat AS (
  SELECT tb.schemaname, tb.tablename, tb.bs, c2.relname AS iname, c2.relpages AS ipages,
         coalesce(ceil((c2.reltuples * (bi.datahdr - 12)) / (tb.bs - 20::float)), 0) AS iotta
  FROM table_bloat tb
  JOIN bloat_info bi ON bi.schemaname = tb.schemaname AND bi.tablename = tb.tablename
  JOIN pg_index i ON i.indrelid = tb.oid
  JOIN pg_class c2 ON c2.oid = i.indexrelid
), summary AS (
  SELECT 'table' AS object_type, format('%I.%I', schemaname, tablename) AS table_name, NULL::text AS index_name,
         round(CASE WHEN otta = 0 THEN 0.0 ELSE relpages / otta::numeric END, 1) AS bloat_ratio,
         (bs * relpages)::bigint AS actual_bytes,
         CASE WHEN relpages < otta THEN 0 ELSE (bs * (relpages - otta))::bigint END AS wasted_bytes
  FROM table_bloat
  UNION ALL
  SELECT 'index', format('%I.%I', schemaname, tablename), format('%I', iname),
         round(CASE WHEN iotta = 0 OR ipages = 0 THEN 0.0 ELSE ipages / iotta::numeric END, 1),
         (bs * ipages)::bigint,
         CASE WHEN ipages < iotta THEN 0 ELSE (bs * (ipages - iotta))::bigint END
  FROM index_bloat
)
SELECT object_type, table_name, index_name, bloat_ratio, actual_bytes, wasted_bytes, pg_size_pretty(wasted_bytes) AS wasted
FROM summary
WHERE wasted_bytes >= $1::bigint
ORDER BY wasted_bytes DESC, bloat_ratio DESC, table_name, index_name NULLS FIRST
LIMIT $2
