-- Removes a user from an organization and from that organization's teams.
-- $1: organization id uuid
-- $2: user id uuid
-- returns: role text (NULL when not a member), teams_removed bigint
WITH gone AS (
  DELETE FROM organization_members WHERE organization_id = $1 AND user_id = $2 RETURNING role
), teams_gone AS (
  DELETE FROM team_members tm USING teams t
  WHERE t.id = tm.team_id AND t.organization_id = $1 AND tm.user_id = $2 AND EXISTS (SELECT 1 FROM gone)
  RETURNING tm.team_id
)
SELECT (SELECT role FROM gone) AS role, (SELECT count(*) FROM teams_gone) AS teams_removed
