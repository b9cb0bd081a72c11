-- API tokens: read-only or read-write, and an optional expiry (issue 15). Existing tokens keep full access.
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'write' CHECK (scope IN ('read', 'write'));
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;
