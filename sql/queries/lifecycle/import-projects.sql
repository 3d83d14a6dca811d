-- Loads the projects part of an organization archive (COPY text, every column in table order).
-- returns: row count
COPY projects FROM STDIN
