-- A role and the settings its sessions in this database get at login (ALTER ROLE ... SET, ALTER ROLE ... IN DATABASE ... SET), the most specific per setting, and whether this session may apply each one.
-- $1: role text (the role's name)
-- returns: role text, setting text (null: the role has none), value text, scope text (role, or role in database), settable boolean (a user setting, a superuser setting and this session's role a superuser, or a custom one; role and session_authorization never)
SELECT r.rolname::text AS role, o.setting, o.value, o.scope,
       o.setting IS NOT NULL AND o.setting NOT IN ('role', 'session_authorization')
         AND (p.context = 'user' OR (p.context = 'superuser' AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user))
              OR (p.name IS NULL AND o.setting LIKE '%.%')) AS settable
FROM pg_roles r
LEFT JOIN LATERAL (
  SELECT DISTINCT ON (split_part(c, '=', 1)) split_part(c, '=', 1) AS setting, substr(c, strpos(c, '=') + 1) AS value,
         CASE WHEN d.setdatabase = 0 THEN 'role' ELSE 'role in database' END AS scope
  FROM pg_db_role_setting d, unnest(d.setconfig) AS c
  WHERE d.setrole = r.oid AND d.setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))
  ORDER BY split_part(c, '=', 1), d.setdatabase DESC
) o ON true
LEFT JOIN pg_settings p ON p.name = o.setting
WHERE r.rolname = $1::text
ORDER BY o.setting
