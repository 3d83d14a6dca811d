-- Volatile functions a plan calls (by name, or behind an operator it shows), leaving out the harmless ones.
-- $1: function_names text[] (every name the plan's text shows before a parenthesis)
-- $2: plan_text text (the plan's expressions, each operator between spaces)
-- $3: harmless text[] (volatile functions that change nothing: random, clock_timestamp, ...)
-- returns: name text (the function, or the operator and its function)
SELECT DISTINCT p.proname::text AS name
FROM pg_proc p
WHERE p.provolatile = 'v' AND p.proname = ANY($1::text[]) AND NOT p.proname = ANY($3::text[])
UNION
SELECT DISTINCT format('%s (%s)', o.oprname, p.proname)
FROM pg_operator o
JOIN pg_proc p ON p.oid = o.oprcode
WHERE p.provolatile = 'v' AND NOT p.proname = ANY($3::text[]) AND strpos($2::text, ' ' || o.oprname || ' ') > 0
ORDER BY 1
