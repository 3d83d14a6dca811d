-- Loads the conversation_participants part of an organization archive (COPY text, every column in table order).
-- returns: row count
COPY conversation_participants FROM STDIN
