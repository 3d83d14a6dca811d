-- Sets an organization's subscription status and records (or clears, when NULL) the suspension details in settings.
-- $1: organization id uuid
-- $2: subscription_status text
-- $3: suspension jsonb or null (reason, at, by)
-- returns: id, slug, name, type, subscription_tier, subscription_status, description, contact_email, website, settings
UPDATE organizations
SET subscription_status = $2,
    settings = CASE WHEN $3::jsonb IS NULL THEN coalesce(settings, '{}') - 'suspension'
                    ELSE coalesce(settings, '{}') || jsonb_build_object('suspension', $3::jsonb) END
WHERE id = $1
RETURNING id, slug, name, type, subscription_tier, subscription_status, description, contact_email, website, settings
