-- Makes query statistics available in the sandbox database (the library is preloaded by the cluster).
CREATE EXTENSION IF NOT EXISTS pg_stat_statements
