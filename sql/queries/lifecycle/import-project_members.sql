-- Loads the project_members part of an organization archive (COPY text, every column in table order).
-- returns: row count
COPY project_members FROM STDIN
