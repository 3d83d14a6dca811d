-- Gives the planner row counts for the onboarding temp table (temp tables are never auto-analyzed).
ANALYZE onboard_rows
