-- Asks a SQL_ASCII server for its bytes as they are: the server then checks no value against UTF-8 (src/db/raw-text.ts decodes them).
-- returns: nothing
SET client_encoding TO 'SQL_ASCII'
