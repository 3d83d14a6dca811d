-- The largest database of the server, in bytes, with the next largest.
-- returns: value numeric (bytes), detail text
WITH d AS (
  SELECT datname, pg_database_size(oid)::numeric AS bytes FROM pg_database WHERE datallowconn
)
SELECT max(bytes) AS value,
       'largest: ' || string_agg(format('%s %s', datname, pg_size_pretty(bytes)), ', ' ORDER BY bytes DESC, datname) FILTER (WHERE rank <= 3) AS detail
FROM (SELECT d.*, rank() OVER (ORDER BY bytes DESC, datname) AS rank FROM d) ranked
