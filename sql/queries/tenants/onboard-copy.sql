-- Streams the validated CSV rows into the onboarding temp table.
COPY onboard_rows (line, email, name, user_type, role, team) FROM STDIN WITH (FORMAT csv)
