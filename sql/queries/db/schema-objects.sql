-- The live catalog of the application schema: tables, columns, indexes, constraints, triggers (a disabled one marked, so it
-- counts as drift), functions; without the opt-in search accelerator's column and trigger (`search accelerate`), which
-- db status reports on their own.
-- returns: kind text, name text, definition text
SELECT 'table' AS kind, c.relname::text AS name, c.relkind::text AS definition
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
UNION ALL
SELECT 'column', c.relname || '.' || a.attname,
       format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
         || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
  AND (c.relname, a.attname) <> ('messages', 'search_vector')
UNION ALL
SELECT 'index', i.relname, pg_get_indexdef(i.oid)
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_namespace n ON n.oid = i.relnamespace
WHERE n.nspname = 'public'
UNION ALL
SELECT 'constraint', t.relname || '.' || con.conname, pg_get_constraintdef(con.oid)
FROM pg_constraint con
JOIN pg_class t ON t.oid = con.conrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = 'public'
UNION ALL
SELECT 'trigger', t.relname || '.' || tg.tgname, pg_get_triggerdef(tg.oid) || CASE WHEN tg.tgenabled = 'D' THEN ' (disabled)' ELSE '' END
FROM pg_trigger tg
JOIN pg_class t ON t.oid = tg.tgrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = 'public' AND NOT tg.tgisinternal AND (t.relname, tg.tgname) <> ('messages', 'search_vector_fill')
UNION ALL
SELECT 'function', p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', md5(p.prosrc)
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
LEFT JOIN pg_depend dep ON dep.objid = p.oid AND dep.deptype = 'e'
WHERE n.nspname = 'public' AND dep.objid IS NULL
ORDER BY 1, 2
