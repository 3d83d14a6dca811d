-- Removes what ties an erased user to others: refresh tokens, notifications, and memberships of organizations, teams, projects and conversations.
-- $1: user id uuid
-- returns: refresh_tokens int, notifications int, organization_members int, team_members int, project_members int, conversation_participants int
WITH t AS (DELETE FROM refresh_tokens WHERE user_id = $1 RETURNING 1),
     n AS (DELETE FROM notifications WHERE user_id = $1 RETURNING 1),
     o AS (DELETE FROM organization_members WHERE user_id = $1 RETURNING 1),
     tm AS (DELETE FROM team_members WHERE user_id = $1 RETURNING 1),
     pm AS (DELETE FROM project_members WHERE user_id = $1 RETURNING 1),
     cp AS (DELETE FROM conversation_participants WHERE user_id = $1 RETURNING 1)
SELECT (SELECT count(*)::int FROM t) AS refresh_tokens, (SELECT count(*)::int FROM n) AS notifications,
       (SELECT count(*)::int FROM o) AS organization_members, (SELECT count(*)::int FROM tm) AS team_members,
       (SELECT count(*)::int FROM pm) AS project_members, (SELECT count(*)::int FROM cp) AS conversation_participants
