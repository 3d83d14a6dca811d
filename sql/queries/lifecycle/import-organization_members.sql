-- Loads the organization_members part of an organization archive (COPY text, every column in table order).
-- returns: row count
COPY organization_members FROM STDIN
