-- Installs amcheck in the scratch database (the extension ships with the server's contrib).
CREATE EXTENSION IF NOT EXISTS amcheck
