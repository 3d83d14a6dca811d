-- Loads the team_members part of an organization archive (COPY text, every column in table order).
-- returns: row count
COPY team_members FROM STDIN
