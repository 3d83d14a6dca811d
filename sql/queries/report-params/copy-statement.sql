-- Fills a report's COPY statement with its parameters, each quoted server-side by format('%L') (COPY takes no bind parameters).
-- $1: template text (the COPY statement with %1$L .. %n$L where the report has $1 .. $n, other % doubled)
-- $2: params text[] (the values as text, NULL for absent)
-- returns: sql text
SELECT format($1::text, VARIADIC $2::text[]) AS sql
