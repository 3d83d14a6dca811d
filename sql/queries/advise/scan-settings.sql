-- This transaction's settings for index, index-only and bitmap scans (to restore them after set-scan-settings).
-- returns: enable_indexscan text, enable_indexonlyscan text, enable_bitmapscan text
SELECT current_setting('enable_indexscan') AS enable_indexscan, current_setting('enable_indexonlyscan') AS enable_indexonlyscan,
       current_setting('enable_bitmapscan') AS enable_bitmapscan
