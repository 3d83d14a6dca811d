-- Loads the conversations part of an organization archive (COPY text, every column in table order).
-- returns: row count
COPY conversations FROM STDIN
