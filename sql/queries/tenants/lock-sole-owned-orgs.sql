-- The organizations whose only owner is this user, after locking the owner rows of every organization they own (in id order, as tenants/lock-owners), so that two erasures of its two owners cannot both pass.
-- $1: user id uuid
-- returns: slug text
WITH owners AS (
  SELECT m.organization_id FROM organization_members m
  WHERE m.role = 'owner' AND m.organization_id IN (SELECT organization_id FROM organization_members WHERE user_id = $1::uuid AND role = 'owner')
  ORDER BY m.id
  FOR UPDATE
)
SELECT o.slug::text AS slug
FROM owners w JOIN organizations o ON o.id = w.organization_id
GROUP BY o.id, o.slug
HAVING count(*) = 1
ORDER BY o.slug
