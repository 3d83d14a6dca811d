-- Starts a purge, or returns the one already started: the members to consider for deletion and the counts are kept in the organization's settings until its row goes.
-- $1: organization id uuid
-- $2: counts jsonb (table name to rows)
-- returns: purge jsonb (started_at, users, counts); no row when the organization is not suspended
WITH started AS (
  UPDATE organizations o
  SET created_by = NULL,
      settings = coalesce(o.settings, '{}') || jsonb_build_object('purge', jsonb_build_object(
        'started_at', now(), 'counts', $2::jsonb,
        'users', (SELECT coalesce(jsonb_agg(m.user_id ORDER BY m.user_id), '[]') FROM organization_members m WHERE m.organization_id = o.id)))
  WHERE o.id = $1 AND o.subscription_status = 'suspended' AND NOT coalesce(o.settings, '{}') ? 'purge'
  RETURNING o.settings->'purge' AS purge
)
SELECT purge FROM started
UNION ALL
SELECT settings->'purge' FROM organizations WHERE id = $1 AND subscription_status = 'suspended' AND settings ? 'purge'
