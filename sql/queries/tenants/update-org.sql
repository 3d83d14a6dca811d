-- Updates the given fields of an organization (NULL keeps the current value).
-- $1: organization id uuid
-- $2: name text or null
-- $3: type text or null
-- $4: subscription_tier text or null
-- $5: description text or null
-- $6: contact_email text or null
-- $7: website text or null
-- returns: id, slug, name, type, subscription_tier, subscription_status, description, contact_email, website, settings
UPDATE organizations
SET name = coalesce($2, name), type = coalesce($3, type), subscription_tier = coalesce($4, subscription_tier),
    description = coalesce($5, description), contact_email = coalesce($6, contact_email), website = coalesce($7, website)
WHERE id = $1
RETURNING id, slug, name, type, subscription_tier, subscription_status, description, contact_email, website, settings
