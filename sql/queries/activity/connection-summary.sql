-- Client connections counted by state, user, application and client address, against max_connections and the slots reserved for superusers (superuser_reserved_connections) and for pg_use_reserved_connections (reserved_connections, PostgreSQL 16+; 0 before).
-- returns: group text (total, limit, state, user, application or client), value text, connections int, pct_of_max numeric (of max_connections)
WITH s AS (
  SELECT a.usename::text AS "user",
         coalesce(nullif(a.application_name, ''), '(none)') AS application,
         coalesce(host(a.client_addr), CASE WHEN a.client_port = -1 THEN 'local' END, '(unknown)') AS client,
         coalesce(a.state, '(unknown)') AS state
  FROM pg_stat_activity a
  WHERE a.backend_type = 'client backend'
), lim AS (
  SELECT current_setting('max_connections')::int AS max_connections,
         current_setting('superuser_reserved_connections')::int AS superuser_reserved,
         coalesce(current_setting('reserved_connections', true)::int, 0) AS reserved,
         (SELECT count(*)::int FROM s) AS used
), grouped AS (
  SELECT CASE WHEN GROUPING(s.state) = 0 THEN 'state' WHEN GROUPING(s."user") = 0 THEN 'user'
              WHEN GROUPING(s.application) = 0 THEN 'application' ELSE 'client' END AS "group",
         coalesce(s.state, s."user", s.application, s.client) AS value,
         count(*)::int AS connections
  FROM s
  GROUP BY GROUPING SETS ((s.state), (s."user"), (s.application), (s.client))
), rows AS (
  SELECT 'total' AS "group", 'client connections' AS value, used AS connections, 0 AS o FROM lim
  UNION ALL SELECT 'limit', 'max_connections', max_connections, 1 FROM lim
  UNION ALL SELECT 'limit', 'superuser_reserved_connections', superuser_reserved, 2 FROM lim
  UNION ALL SELECT 'limit', 'reserved_connections', reserved, 3 FROM lim
  UNION ALL SELECT 'limit', 'free for other roles', greatest(max_connections - superuser_reserved - reserved - used, 0), 4 FROM lim
  UNION ALL SELECT g."group", g.value, g.connections,
                   CASE g."group" WHEN 'state' THEN 5 WHEN 'user' THEN 6 WHEN 'application' THEN 7 ELSE 8 END
  FROM grouped g
)
SELECT r."group", r.value, r.connections, round(100.0 * r.connections / l.max_connections, 1) AS pct_of_max
FROM rows r, lim l
ORDER BY r.o, r.connections DESC, r.value
