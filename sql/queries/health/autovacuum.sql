-- Whether autovacuum runs: the server settings autovacuum and track_counts, and the tables of this database where it is switched off.
-- returns: value numeric (tables with autovacuum_enabled=false), server_off boolean (autovacuum or track_counts off), detail text
SELECT count(c.oid)::numeric AS value,
       NOT (current_setting('autovacuum')::boolean AND current_setting('track_counts')::boolean) AS server_off,
       concat_ws('; ',
         CASE WHEN NOT current_setting('autovacuum')::boolean THEN 'autovacuum = off' END,
         CASE WHEN NOT current_setting('track_counts')::boolean THEN 'track_counts = off (autovacuum cannot work)' END,
         CASE WHEN count(c.oid) > 0 THEN 'disabled on ' || string_agg(c.oid::regclass::text, ', ' ORDER BY c.oid::regclass::text) END,
         CASE WHEN count(c.oid) = 0 AND current_setting('autovacuum')::boolean AND current_setting('track_counts')::boolean THEN 'on' END) AS detail
FROM (SELECT 1) one
LEFT JOIN pg_class c ON c.relkind IN ('r', 'm') AND EXISTS (SELECT 1 FROM pg_options_to_table(c.reloptions) o WHERE o.option_name = 'autovacuum_enabled' AND NOT o.option_value::boolean)
