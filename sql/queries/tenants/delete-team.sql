-- Deletes a team (its memberships go with it); fails while projects still reference it.
-- $1: team id uuid
-- returns: id uuid, slug text, members bigint
WITH gone_members AS (
  DELETE FROM team_members WHERE team_id = $1 RETURNING 1
), gone AS (
  DELETE FROM teams WHERE id = $1 RETURNING id, slug
)
SELECT gone.id, gone.slug, (SELECT count(*) FROM gone_members) AS members FROM gone
