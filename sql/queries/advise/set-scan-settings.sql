-- Turns index, index-only and bitmap scans on or off for the rest of this transaction: with them off, a plan shows every filter and every sort the statement needs.
-- $1: enable_indexscan text (on or off)
-- $2: enable_indexonlyscan text
-- $3: enable_bitmapscan text
-- returns: enable_indexscan text
SELECT set_config('enable_indexscan', $1::text, true) AS enable_indexscan, set_config('enable_indexonlyscan', $2::text, true) AS enable_indexonlyscan,
       set_config('enable_bitmapscan', $3::text, true) AS enable_bitmapscan
