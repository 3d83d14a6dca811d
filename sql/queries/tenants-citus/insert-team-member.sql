-- tenants/insert-team-member for the distributed layout on Citus: the row carries organization_id (the column Citus routes it by), and the lookups go to the organization's shard.
-- Locks the organization membership row (FOR SHARE): `members remove` locks it first too, so neither can miss the other.
-- $1: team id uuid
-- $2: user id uuid
-- $3: role text (lead or member)
-- $4: organization id uuid (the team's; on Citus the shard the row goes to)
-- returns: org_member boolean (false: nothing inserted), id uuid and role text (NULL when not inserted: not in the organization or already in the team)
-- requires: the distributed layout (db distribute)
WITH org_member AS (
  SELECT 1
  FROM teams t
  JOIN organization_members m ON m.organization_id = t.organization_id AND m.user_id = $2::uuid
  WHERE t.organization_id = $4::uuid AND t.id = $1::uuid AND m.organization_id = $4::uuid
  FOR SHARE OF m
), added AS (
  INSERT INTO team_members (organization_id, team_id, user_id, role)
  SELECT $4::uuid, $1::uuid, $2::uuid, $3::text
  WHERE EXISTS (SELECT 1 FROM org_member)
  ON CONFLICT (organization_id, team_id, user_id) DO NOTHING
  RETURNING id, role
)
SELECT EXISTS (SELECT 1 FROM org_member) AS org_member, (SELECT id FROM added) AS id, (SELECT role FROM added) AS role
