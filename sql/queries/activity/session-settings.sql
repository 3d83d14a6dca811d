-- For each client session, the settings it got at login from ALTER ROLE / ALTER DATABASE ... SET for its role and database (the most specific per setting), as of now: a session that logged in before an ALTER does not have it, and what a session SETs itself is not visible to other sessions.
-- returns: pid int, settings text[] (setting=value (scope)), sorted by setting
SELECT a.pid,
       array_agg(format('%s=%s (%s)', o.setting, o.value, o.scope) ORDER BY o.setting) AS settings
FROM pg_stat_activity a
CROSS JOIN LATERAL (
  SELECT DISTINCT ON (split_part(c, '=', 1)) split_part(c, '=', 1) AS setting, substr(c, strpos(c, '=') + 1) AS value,
         CASE WHEN d.setrole <> 0 AND d.setdatabase <> 0 THEN 'role in database'
              WHEN d.setrole <> 0 THEN 'role'
              WHEN d.setdatabase <> 0 THEN 'database'
              ELSE 'all roles' END AS scope
  FROM pg_db_role_setting d, unnest(d.setconfig) AS c
  WHERE d.setrole IN (0, a.usesysid) AND d.setdatabase IN (0, a.datid)
  -- The order PostgreSQL applies them at login, first one winning: role in database, role, database, all roles.
  ORDER BY split_part(c, '=', 1), (d.setrole <> 0) DESC, (d.setdatabase <> 0) DESC
) o
WHERE a.backend_type = 'client backend'
GROUP BY a.pid
