-- Loads the security_events part of an organization archive (COPY text, every column in table order).
-- returns: row count
COPY security_events FROM STDIN
