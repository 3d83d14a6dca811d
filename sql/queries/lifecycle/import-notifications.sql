-- Loads the notifications part of an organization archive (COPY text, every column in table order).
-- returns: row count
COPY notifications FROM STDIN
