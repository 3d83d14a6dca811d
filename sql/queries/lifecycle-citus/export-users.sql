-- lifecycle/export-users for the distributed layout on Citus: the same users, the tenant tables read by their own organization_id (no join between tenant tables off it), the organization from the transaction's setting through a CTE that the coordinator computes (the workers do not have the setting).
-- requires: the distributed layout (db distribute), lifecycle/set-scope in the same transaction
-- returns: COPY text rows in the column order of users
COPY (
  WITH scope AS MATERIALIZED (SELECT current_setting('fluxadmin.lifecycle_org')::uuid AS id)
  SELECT u.id, u.email, u.name, CASE WHEN current_setting('fluxadmin.lifecycle_secrets') = 'on' THEN u.password_hash END AS password_hash,
         u.user_type, u.avatar_url, u.phone, u.timezone, u.preferences, u.oauth_provider, u.oauth_id, u.email_verified, u.is_active,
         u.last_login, u.created_at, u.updated_at
  FROM users u
  WHERE u.id IN (
    SELECT created_by FROM organizations WHERE id = (SELECT id FROM scope)
    UNION SELECT user_id FROM organization_members WHERE organization_id = (SELECT id FROM scope)
    UNION SELECT invited_by FROM organization_members WHERE organization_id = (SELECT id FROM scope)
    UNION SELECT created_by FROM teams WHERE organization_id = (SELECT id FROM scope)
    UNION SELECT user_id FROM team_members WHERE organization_id = (SELECT id FROM scope)
    UNION SELECT manager_id FROM projects WHERE organization_id = (SELECT id FROM scope)
    UNION SELECT client_id FROM projects WHERE organization_id = (SELECT id FROM scope)
    UNION SELECT user_id FROM project_members WHERE organization_id = (SELECT id FROM scope)
    UNION SELECT uploaded_by FROM files WHERE organization_id = (SELECT id FROM scope)
    UNION SELECT created_by FROM conversations WHERE organization_id = (SELECT id FROM scope)
    UNION SELECT user_id FROM conversation_participants WHERE organization_id = (SELECT id FROM scope)
    UNION SELECT author_id FROM messages WHERE organization_id = (SELECT id FROM scope)
    UNION SELECT user_id FROM notifications WHERE organization_id = (SELECT id FROM scope)
    UNION SELECT user_id FROM security_events WHERE metadata->>'org_id' = (SELECT id FROM scope)::text)
  ORDER BY u.id
) TO STDOUT
