-- Creates three to six teams per organization.
INSERT INTO teams (id, organization_id, name, slug, description, created_by)
SELECT uuid_generate_v5(o.id, 'team:' || t.name), o.id, t.name, lower(replace(t.name, ' ', '-')), t.name || ' team of ' || o.name, o.created_by
FROM organizations o
CROSS JOIN LATERAL (
  SELECT name FROM unnest(ARRAY['Brand Design', 'Motion', 'Illustration', 'Web Studio', 'Print Lab', 'Photography']) WITH ORDINALITY AS x(name, i)
  WHERE i <= 3 + abs(hashtext(o.slug)) % 4
) t
