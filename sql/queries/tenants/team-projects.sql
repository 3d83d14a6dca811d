-- The projects that belong to a team (a team cannot be deleted while it has any).
-- $1: team id uuid
-- returns: slug text
SELECT slug::text FROM projects WHERE team_id = $1 ORDER BY slug
