-- References from an organization's rows into another organization's rows (how a forged archive would reach another tenant); only those that exist. A project's template may be shared, so template_id is not one of them.
-- $1: organization id uuid
-- returns: reference text, row_count bigint
SELECT r.reference, r.row_count
FROM (VALUES
  ('projects.team_id', (SELECT count(*) FROM projects p JOIN teams x ON x.id = p.team_id WHERE p.organization_id = $1 AND x.organization_id <> $1)),
  ('files.project_id', (SELECT count(*) FROM files f JOIN projects x ON x.id = f.project_id WHERE f.organization_id = $1 AND x.organization_id <> $1)),
  ('files.parent_file_id', (SELECT count(*) FROM files f JOIN files x ON x.id = f.parent_file_id WHERE f.organization_id = $1 AND x.organization_id <> $1)),
  ('conversations.project_id', (SELECT count(*) FROM conversations c JOIN projects x ON x.id = c.project_id WHERE c.organization_id = $1 AND x.organization_id <> $1)),
  ('conversations.team_id', (SELECT count(*) FROM conversations c JOIN teams x ON x.id = c.team_id WHERE c.organization_id = $1 AND x.organization_id <> $1)),
  ('messages.reply_to_id', (SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN messages x ON x.id = m.reply_to_id
                            JOIN conversations xc ON xc.id = x.conversation_id WHERE c.organization_id = $1 AND xc.organization_id <> $1))
) AS r(reference, row_count)
WHERE r.row_count > 0
