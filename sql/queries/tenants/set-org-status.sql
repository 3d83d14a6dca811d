-- Sets an organization's subscription status and records (or clears, when NULL) the suspension details in settings.
-- $1: organization id uuid
-- $2: subscription_status text
-- $3: suspension jsonb or null (reason, at, by)
-- returns: id, slug, name, type, subscription_tier, subscription_status, description, contact_email, website, settings
UPDATE organizations
SET subscription_status = $2,
    -- jsonb_set is strict: without details the key is only removed. No CASE: Citus refuses a STABLE function in one when it modifies a reference table.
    settings = coalesce(jsonb_set(coalesce(settings, '{}') - 'suspension', '{suspension}', $3::jsonb), coalesce(settings, '{}') - 'suspension')
WHERE id = $1
RETURNING id, slug, name, type, subscription_tier, subscription_status, description, contact_email, website, settings
