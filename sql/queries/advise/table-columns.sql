-- The columns of some tables with what index advice needs: whether a btree fits the type, distinct values and NULL share from pg_stats.
-- $1: schemas text[]
-- $2: tables text[] (pairs with $1)
-- returns: relid oid, schema_name text, table_name text, attnum int, column_name text, type_name text, btree boolean, distinct_values float8 (null: not analyzed), null_frac float8, reltuples float8
WITH t AS (
    SELECT DISTINCT c.oid AS relid, n.nspname, c.relname, c.reltuples
    FROM unnest($1::text[], $2::text[]) AS x (schema_name, table_name)
    JOIN pg_namespace n ON n.nspname = x.schema_name
    JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = x.table_name AND c.relkind IN ('r', 'p', 'm')
)
SELECT t.relid, t.nspname::text AS schema_name, t.relname::text AS table_name, a.attnum::int AS attnum, a.attname::text AS column_name,
       format_type(a.atttypid, a.atttypmod) AS type_name,
       -- json has no btree operator class; jsonb and arrays have one, but not for the operators (@>, ?, &&) that filter them.
       ty.typcategory <> 'A' AND ty.typname NOT IN ('json', 'jsonb') AND EXISTS (
           SELECT 1 FROM pg_opclass o JOIN pg_am am ON am.oid = o.opcmethod
           WHERE am.amname = 'btree' AND o.opcdefault
             AND (o.opcintype = a.atttypid OR (ty.typcategory = 'E' AND o.opcintype = 'anyenum'::regtype)
                  OR (a.atttypid = 'varchar'::regtype AND o.opcintype = 'text'::regtype))) AS btree,
       (CASE WHEN s.n_distinct >= 0 THEN s.n_distinct ELSE -s.n_distinct * greatest(t.reltuples, 0) END)::float8 AS distinct_values,
       s.null_frac::float8 AS null_frac, t.reltuples::float8 AS reltuples
FROM t
JOIN pg_attribute a ON a.attrelid = t.relid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_type ty ON ty.oid = a.atttypid
LEFT JOIN pg_stats s ON s.schemaname = t.nspname AND s.tablename = t.relname AND s.attname = a.attname AND NOT s.inherited
ORDER BY t.relid, a.attnum
