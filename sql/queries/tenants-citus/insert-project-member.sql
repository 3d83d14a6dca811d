-- tenants/insert-project-member for the distributed layout on Citus: the row carries organization_id (the column Citus routes it by), and the lookups go to the organization's shard.
-- Locks the organization membership row (FOR SHARE): `members remove` locks it first too, so neither can miss the other.
-- $1: project id uuid
-- $2: user id uuid
-- $3: role text
-- $4: organization id uuid (the project's; on Citus the shard the row goes to)
-- returns: org_member boolean (false: nothing inserted), id uuid and role text (NULL when not inserted: not in the organization or already in the project)
-- requires: the distributed layout (db distribute)
WITH org_member AS (
  SELECT 1
  FROM projects p
  JOIN organization_members m ON m.organization_id = p.organization_id AND m.user_id = $2::uuid
  WHERE p.organization_id = $4::uuid AND p.id = $1::uuid AND m.organization_id = $4::uuid
  FOR SHARE OF m
), added AS (
  INSERT INTO project_members (organization_id, project_id, user_id, role)
  SELECT $4::uuid, $1::uuid, $2::uuid, $3::text
  WHERE EXISTS (SELECT 1 FROM org_member)
  ON CONFLICT (organization_id, project_id, user_id) DO NOTHING
  RETURNING id, role
)
SELECT EXISTS (SELECT 1 FROM org_member) AS org_member, (SELECT id FROM added) AS id, (SELECT role FROM added) AS role
