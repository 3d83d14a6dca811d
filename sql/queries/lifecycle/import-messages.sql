-- Loads the messages part of an organization archive (COPY text, every column in table order).
-- returns: row count
COPY messages FROM STDIN
