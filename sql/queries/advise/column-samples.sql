-- Values of some columns from pg_stats, to fill statement parameters: the most common ones (most frequent first) and the histogram bounds.
-- $1: schemas text[]
-- $2: tables text[] (pairs with $1)
-- $3: columns text[] (pairs with $1)
-- returns: schema_name text, table_name text, column_name text, common text[], common_freqs float8[], histogram text[]
SELECT s.schemaname::text AS schema_name, s.tablename::text AS table_name, s.attname::text AS column_name,
       s.most_common_vals::text::text[] AS common, s.most_common_freqs::float8[] AS common_freqs, s.histogram_bounds::text::text[] AS histogram
FROM unnest($1::text[], $2::text[], $3::text[]) AS x (schema_name, table_name, column_name)
JOIN pg_stats s ON s.schemaname = x.schema_name AND s.tablename = x.table_name AND s.attname = x.column_name AND NOT s.inherited
