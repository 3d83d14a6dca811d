-- Loads the files part of an organization archive (COPY text, every column in table order).
-- returns: row count
COPY files FROM STDIN
