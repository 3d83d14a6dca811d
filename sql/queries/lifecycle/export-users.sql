-- Streams the users an organization's rows need (members, authors, uploaders, managers, participants, creators), password hashes only when lifecycle_secrets is on.
-- requires: lifecycle/set-scope in the same transaction
-- returns: COPY text rows in the column order of users
COPY (
  SELECT u.id, u.email, u.name, CASE WHEN current_setting('fluxadmin.lifecycle_secrets') = 'on' THEN u.password_hash END AS password_hash,
         u.user_type, u.avatar_url, u.phone, u.timezone, u.preferences, u.oauth_provider, u.oauth_id, u.email_verified, u.is_active,
         u.last_login, u.created_at, u.updated_at
  FROM users u
  WHERE u.id IN (
    SELECT created_by FROM organizations WHERE id = current_setting('fluxadmin.lifecycle_org')::uuid
    UNION SELECT user_id FROM organization_members WHERE organization_id = current_setting('fluxadmin.lifecycle_org')::uuid
    UNION SELECT invited_by FROM organization_members WHERE organization_id = current_setting('fluxadmin.lifecycle_org')::uuid
    UNION SELECT created_by FROM teams WHERE organization_id = current_setting('fluxadmin.lifecycle_org')::uuid
    UNION SELECT tm.user_id FROM team_members tm JOIN teams t ON t.id = tm.team_id WHERE t.organization_id = current_setting('fluxadmin.lifecycle_org')::uuid
    UNION SELECT manager_id FROM projects WHERE organization_id = current_setting('fluxadmin.lifecycle_org')::uuid
    UNION SELECT client_id FROM projects WHERE organization_id = current_setting('fluxadmin.lifecycle_org')::uuid
    UNION SELECT pm.user_id FROM project_members pm JOIN projects p ON p.id = pm.project_id WHERE p.organization_id = current_setting('fluxadmin.lifecycle_org')::uuid
    UNION SELECT uploaded_by FROM files WHERE organization_id = current_setting('fluxadmin.lifecycle_org')::uuid
    UNION SELECT created_by FROM conversations WHERE organization_id = current_setting('fluxadmin.lifecycle_org')::uuid
    UNION SELECT cp.user_id FROM conversation_participants cp JOIN conversations c ON c.id = cp.conversation_id WHERE c.organization_id = current_setting('fluxadmin.lifecycle_org')::uuid
    UNION SELECT m.author_id FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.organization_id = current_setting('fluxadmin.lifecycle_org')::uuid
    UNION SELECT user_id FROM notifications WHERE organization_id = current_setting('fluxadmin.lifecycle_org')::uuid
    UNION SELECT user_id FROM security_events WHERE metadata->>'org_id' = current_setting('fluxadmin.lifecycle_org')::uuid::text)
  ORDER BY u.id
) TO STDOUT
