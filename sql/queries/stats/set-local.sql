-- Sets settings for the rest of this transaction only (set_config(..., true)), in the order given.
-- $1: names text[]
-- $2: values text[] (in the order of $1)
-- returns: setting text, value text (as the server took it)
SELECT s.name AS setting, set_config(s.name, s.value, true) AS value
FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS s (name, value, n)
ORDER BY s.n
