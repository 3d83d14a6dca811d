-- Loads the organizations part of an organization archive (COPY text, every column in table order).
-- returns: row count
COPY organizations FROM STDIN
