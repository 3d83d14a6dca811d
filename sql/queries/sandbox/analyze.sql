-- Refreshes planner statistics after bulk loading.
ANALYZE
