-- How far the backfill is: messages with content, those with a stored vector, and the storage the vectors take.
-- requires: search accelerator (messages.search_vector)
-- returns: messages bigint (with content), filled bigint, missing bigint, vector_bytes bigint
SELECT count(*) FILTER (WHERE content IS NOT NULL) AS messages,
       count(*) FILTER (WHERE content IS NOT NULL AND search_vector IS NOT NULL) AS filled,
       count(*) FILTER (WHERE content IS NOT NULL AND search_vector IS NULL) AS missing,
       coalesce(sum(pg_column_size(search_vector)), 0) AS vector_bytes
FROM messages
