-- tenants/onboard-team-members for the distributed layout on Citus: the rows carry organization_id (the column Citus routes them by).
-- $1: organization id uuid
-- returns: added bigint
-- requires: the distributed layout (db distribute), and temp table onboard_rows (tenants/onboard-create-table in the same transaction)
WITH added AS (
  INSERT INTO team_members (organization_id, team_id, user_id)
  SELECT t.organization_id, t.id, u.id FROM onboard_rows r
  JOIN users u ON lower(u.email) = r.email
  JOIN teams t ON t.organization_id = $1 AND t.slug = r.team
  ON CONFLICT (organization_id, team_id, user_id) DO NOTHING
  RETURNING 1
)
SELECT count(*) AS added FROM added
