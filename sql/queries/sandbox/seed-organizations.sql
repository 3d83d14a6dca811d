-- Inserts demo organizations from parallel arrays; the creator is a random admin-type user.
-- $1: names text[]
-- $2: slugs text[]
-- $3: types text[]
-- $4: tiers text[]
-- $5: statuses text[]
INSERT INTO organizations (id, name, slug, type, description, location, contact_email, website, subscription_tier, subscription_status, billing_email, created_by, created_at)
SELECT uuid_generate_v5(uuid_ns_url(), 'org:' || o.slug), o.name, o.slug, o.type, o.name || ' on FluxStudio', 'Campus ' || o.ord, 'hello@' || o.slug || '.example.org', 'https://' || o.slug || '.example.org',
       o.tier, o.status, 'billing@' || o.slug || '.example.org',
       (SELECT id FROM users ORDER BY md5(id::text || o.slug) LIMIT 1),
       now() - interval '500 days' + o.ord * interval '5 days'
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS o(name, slug, type, tier, status, ord)
