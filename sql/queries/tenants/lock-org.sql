-- Locks one organization row for a change and returns its editable fields.
-- $1: organization id uuid
-- returns: id, slug, name, type, subscription_tier, subscription_status, description, contact_email, website, settings
SELECT id, slug, name, type, subscription_tier, subscription_status, description, contact_email, website, settings
FROM organizations
WHERE id = $1
FOR NO KEY UPDATE
