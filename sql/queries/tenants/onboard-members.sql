-- Adds the onboarding file's users to the organization with their role (existing memberships are kept).
-- $1: organization id uuid
-- returns: added bigint
-- requires: temp table onboard_rows (tenants/onboard-create-table in the same transaction); run by test/tenants-onboard.test.ts
WITH added AS (
  INSERT INTO organization_members (organization_id, user_id, role)
  SELECT $1, u.id, r.role FROM onboard_rows r JOIN users u ON lower(u.email) = r.email
  ON CONFLICT (organization_id, user_id) DO NOTHING
  RETURNING 1
)
SELECT count(*) AS added FROM added
