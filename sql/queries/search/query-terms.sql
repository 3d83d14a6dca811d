-- Parses a websearch query the way search/messages does: how many tsquery nodes are left after stopwords, and the tsquery text.
-- $1: query text
-- returns: nodes int, tsquery text
SELECT numnode(websearch_to_tsquery('english', $1::text)) AS nodes, websearch_to_tsquery('english', $1::text)::text AS tsquery
