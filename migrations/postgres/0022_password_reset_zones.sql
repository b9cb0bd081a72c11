-- Company-wide settings an administrator changes on the Settings page (key → text value).
CREATE TABLE company_settings (
    key         TEXT    PRIMARY KEY,
    value       TEXT    NOT NULL,
    updated_at  BIGINT  NOT NULL
);

-- Forgotten-password requests: one row per request (user_id NULL when the address is nobody's, so that
-- requests are counted per client address whatever they asked for); the link's secret is kept hashed.
CREATE TABLE password_resets (
    id          BIGSERIAL PRIMARY KEY,
    token_hash  TEXT    NOT NULL UNIQUE,
    user_id     BIGINT  REFERENCES users (id),
    ip          TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    used_at     BIGINT
);
CREATE INDEX password_resets_ip ON password_resets (ip, created_at);
CREATE INDEX password_resets_user ON password_resets (user_id, created_at);

-- A user's own time zone (IANA name); NULL: the company's (company_settings.time_zone).
ALTER TABLE users ADD COLUMN time_zone TEXT;
