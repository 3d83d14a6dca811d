-- Whether PostgreSQL knows a time zone name (pg_timezone_names, as the app_unknown_timezones health check reads it).
-- $1: name text
-- returns: known boolean
SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1) AS known
