-- Loads the teams part of an organization archive (COPY text, every column in table order).
-- returns: row count
COPY teams FROM STDIN
