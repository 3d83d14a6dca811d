-- Creates the onboarding file's users that do not exist yet (emails compared in lower case), with one audit row per created user.
-- $1: user_agent text
-- $2: audit metadata jsonb (actor, org_id, file), user_id is added per row
-- returns: created bigint, total bigint
-- requires: temp table onboard_rows (tenants/onboard-create-table in the same transaction); run by test/tenants-onboard.test.ts
WITH created AS (
  INSERT INTO users (email, name, user_type)
  SELECT r.email, r.name, r.user_type FROM onboard_rows r
  WHERE NOT EXISTS (SELECT 1 FROM users u WHERE lower(u.email) = r.email)
  ORDER BY r.n
  ON CONFLICT (email) DO NOTHING
  RETURNING id, email
), audited AS (
  INSERT INTO security_events (user_id, event_type, severity, description, user_agent, metadata)
  SELECT id, 'admin.user.onboarded', 'info', 'created user ' || email || ' by bulk onboarding', $1, $2::jsonb || jsonb_build_object('user_id', id)
  FROM created
  RETURNING 1
)
SELECT (SELECT count(*) FROM created) AS created, (SELECT count(*) FROM audited) AS audited, (SELECT count(*) FROM onboard_rows) AS total
