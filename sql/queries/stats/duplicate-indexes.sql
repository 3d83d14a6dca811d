-- Sets of indexes on the same table with the same columns, operator classes, expressions and predicate, with the one to keep (a unique or constraint-backing one first, then the most scanned) and the statements that drop the others.
-- $1: locked oid[] (indexes of these tables, and these indexes, are left out: reading them would wait for the lock)
-- returns: schema_name text, table_name text, indexes text[], index_bytes bigint (all of the set), definition text (of the first), keep_index text, drop_statement text (null: every other one enforces a constraint), bytes_freed bigint
WITH members AS (
    SELECT n.nspname::text AS schema_name, t.relname::text AS table_name, i.relname::text AS index_name, pg_relation_size(i.oid) AS bytes,
           pg_get_indexdef(i.oid) AS definition,
           x.indisunique OR EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) AS enforces,
           coalesce(s.idx_scan, 0) AS scans,
           concat_ws('/', x.indrelid, i.relam, x.indkey::text, x.indclass::text, x.indcollation::text,
                     coalesce(pg_get_expr(x.indexprs, x.indrelid), ''), coalesce(pg_get_expr(x.indpred, x.indrelid), '')) AS shape
    FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    LEFT JOIN pg_stat_all_indexes s ON s.indexrelid = x.indexrelid
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
      AND t.oid <> ALL (coalesce($1::oid[], '{}')) AND i.oid <> ALL (coalesce($1::oid[], '{}'))
), ranked AS (
    SELECT m.*, row_number() OVER (PARTITION BY m.shape ORDER BY m.enforces DESC, m.scans DESC, m.index_name) AS pos,
           count(*) OVER (PARTITION BY m.shape) AS members
    FROM members m
)
SELECT r.schema_name, r.table_name, array_agg(r.index_name ORDER BY r.index_name) AS indexes, sum(r.bytes)::bigint AS index_bytes,
       min(r.definition) AS definition,
       min(r.index_name) FILTER (WHERE r.pos = 1) AS keep_index,
       string_agg(format('DROP INDEX CONCURRENTLY %I.%I;', r.schema_name, r.index_name), ' ' ORDER BY r.index_name) FILTER (WHERE r.pos > 1 AND NOT r.enforces) AS drop_statement,
       coalesce(sum(r.bytes) FILTER (WHERE r.pos > 1 AND NOT r.enforces), 0)::bigint AS bytes_freed
FROM ranked r
WHERE r.members > 1
GROUP BY r.shape, r.schema_name, r.table_name
ORDER BY index_bytes DESC, r.schema_name, r.table_name
