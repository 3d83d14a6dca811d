-- Settings overridden for a role, a database or a role in a database (ALTER ROLE / ALTER DATABASE ... SET; psql's \drds), with the client sessions of that role and database now connected.
-- returns: role text (null: every role), database text (null: every database), setting text, value text, scope text (role in database, role, database, or all roles: the first wins at login), sessions int (client sessions of that role and database now connected; those that logged in before the ALTER do not have it)
SELECT r.rolname::text AS role, db.datname::text AS database, split_part(c, '=', 1) AS setting, substr(c, strpos(c, '=') + 1) AS value,
       CASE WHEN d.setrole <> 0 AND d.setdatabase <> 0 THEN 'role in database'
            WHEN d.setrole <> 0 THEN 'role'
            WHEN d.setdatabase <> 0 THEN 'database'
            ELSE 'all roles' END AS scope,
       (SELECT count(*)::int FROM pg_stat_activity a
        WHERE a.backend_type = 'client backend' AND d.setrole IN (0, a.usesysid) AND d.setdatabase IN (0, a.datid)) AS sessions
FROM pg_db_role_setting d
CROSS JOIN LATERAL unnest(d.setconfig) AS c
LEFT JOIN pg_roles r ON r.oid = d.setrole
LEFT JOIN pg_database db ON db.oid = d.setdatabase
ORDER BY r.rolname NULLS FIRST, db.datname NULLS FIRST, setting
