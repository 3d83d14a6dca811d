-- Adds the onboarding file's users to the named teams of the organization (existing team memberships are kept).
-- $1: organization id uuid
-- returns: added bigint
-- requires: temp table onboard_rows (tenants/onboard-create-table in the same transaction); run by test/tenants-onboard.test.ts
WITH added AS (
  INSERT INTO team_members (team_id, user_id)
  SELECT t.id, u.id FROM onboard_rows r
  JOIN users u ON lower(u.email) = r.email
  JOIN teams t ON t.organization_id = $1 AND t.slug = r.team
  ON CONFLICT (team_id, user_id) DO NOTHING
  RETURNING 1
)
SELECT count(*) AS added FROM added
