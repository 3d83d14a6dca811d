-- Connections in use as a percentage of the ones ordinary roles may open (max_connections minus superuser_reserved_connections).
-- returns: value numeric (percent used), detail text
SELECT round(100.0 * count(*) / greatest(current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int, 1), 1) AS value,
       format('%s of %s connections (%s reserved for superusers)', count(*), current_setting('max_connections'), current_setting('superuser_reserved_connections')) AS detail
FROM pg_stat_activity
WHERE backend_type = 'client backend'
