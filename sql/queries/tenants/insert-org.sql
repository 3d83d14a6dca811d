-- Creates an organization.
-- $1: name text
-- $2: slug text
-- $3: type text
-- $4: subscription_tier text
-- $5: description text or null
-- $6: contact_email text or null
-- returns: id uuid, slug text, name text, type text, subscription_tier text, subscription_status text
INSERT INTO organizations (name, slug, type, subscription_tier, description, contact_email)
VALUES ($1, $2, $3, $4, $5, $6)
RETURNING id, slug, name, type, subscription_tier, subscription_status
