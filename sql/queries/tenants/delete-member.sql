-- Removes a user from an organization and from that organization's teams and projects.
-- $1: organization id uuid
-- $2: user id uuid
-- returns: role text (NULL when not a member), teams_removed bigint, projects_removed bigint
WITH gone AS (
  DELETE FROM organization_members WHERE organization_id = $1 AND user_id = $2 RETURNING role
), teams_gone AS (
  DELETE FROM team_members tm USING teams t
  WHERE t.id = tm.team_id AND t.organization_id = $1 AND tm.user_id = $2 AND EXISTS (SELECT 1 FROM gone)
  RETURNING tm.team_id
), projects_gone AS (
  DELETE FROM project_members pm USING projects p
  WHERE p.id = pm.project_id AND p.organization_id = $1 AND pm.user_id = $2 AND EXISTS (SELECT 1 FROM gone)
  RETURNING pm.project_id
)
SELECT (SELECT role FROM gone) AS role, (SELECT count(*) FROM teams_gone) AS teams_removed, (SELECT count(*) FROM projects_gone) AS projects_removed
