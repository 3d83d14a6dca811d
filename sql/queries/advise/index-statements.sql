-- CREATE INDEX statements for index specs, every identifier quoted with format('%I') (DDL takes no bind parameters).
-- $1: specs jsonb (array of {schema, table, name (null: the server names it), columns: [{name, desc, nulls (first, last or null)}]})
-- $2: concurrently boolean
-- returns: ord int, sql text
SELECT x.ord::int AS ord,
       format('CREATE INDEX %s%sON %I.%I (%s)',
              CASE WHEN $2::boolean THEN 'CONCURRENTLY ' ELSE '' END,
              CASE WHEN x.spec->>'name' IS NULL THEN '' ELSE format('%I ', x.spec->>'name') END,
              x.spec->>'schema', x.spec->>'table',
              (SELECT string_agg(format('%I', c.col->>'name')
                                 || CASE WHEN (c.col->>'desc')::boolean THEN ' DESC' ELSE '' END
                                 || CASE c.col->>'nulls' WHEN 'first' THEN ' NULLS FIRST' WHEN 'last' THEN ' NULLS LAST' ELSE '' END, ', ' ORDER BY c.n)
               FROM jsonb_array_elements(x.spec->'columns') WITH ORDINALITY AS c (col, n))) AS sql
FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x (spec, ord)
ORDER BY x.ord
