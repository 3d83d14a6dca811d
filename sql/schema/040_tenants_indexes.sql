-- Tenant management: case-insensitive email lookups, keyset paging of the audit trail,
-- active-session and membership-by-org scans.
CREATE INDEX idx_users_email_lower ON users (lower(email));
CREATE INDEX idx_security_events_created_id ON security_events (created_at DESC, id DESC);
CREATE INDEX idx_refresh_tokens_active ON refresh_tokens (user_id, expires_at) WHERE revoked_at IS NULL;
