-- Lets the planner run a report in parallel workers, for this transaction only: an export sends every row, and at the defaults (1000 and 0.1) a 1M-row CSV export stays on one core (6.4 s against 5.6 s in parallel, measured on 2 cores). max_parallel_workers_per_gather still bounds it; 0 keeps reports on one core.
-- returns: parallel_setup_cost text, parallel_tuple_cost text
SELECT set_config('parallel_setup_cost', '100', true) AS parallel_setup_cost, set_config('parallel_tuple_cost', '0.01', true) AS parallel_tuple_cost
