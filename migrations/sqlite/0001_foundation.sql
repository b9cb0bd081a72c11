-- Foundation: accounts, sessions, tokens, login throttling, modules, customers.
-- Timestamps are epoch milliseconds (INTEGER) in both dialects; money will be integer minor units.

CREATE TABLE teams (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'sales_head', 'manager')),
    team_id       INTEGER REFERENCES teams (id),
    lang          TEXT,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    INTEGER NOT NULL
);
CREATE INDEX users_team ON users (team_id);

CREATE TABLE sessions (
    token_hash  TEXT    PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    name          TEXT    NOT NULL,
    token_hash    TEXT    NOT NULL UNIQUE,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER,
    revoked_at    INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, id);

CREATE TABLE login_failures (
    id     INTEGER PRIMARY KEY,
    email  TEXT    NOT NULL,
    ip     TEXT    NOT NULL,
    at     INTEGER NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, at);
CREATE INDEX login_failures_ip ON login_failures (ip, at);
CREATE INDEX login_failures_at ON login_failures (at);

CREATE TABLE modules (
    key      TEXT    PRIMARY KEY,
    enabled  BOOLEAN NOT NULL
);

CREATE TABLE customers (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL,
    -- lower-cased name for case-insensitive search in any script (SQLite's lower() is ASCII only)
    name_search  TEXT    NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('company', 'person')),
    phone        TEXT,
    email        TEXT,
    notes        TEXT,
    manager_id   INTEGER NOT NULL REFERENCES users (id),
    created_by   INTEGER NOT NULL REFERENCES users (id),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX customers_manager ON customers (manager_id, id);
CREATE INDEX customers_name ON customers (name_search, id);
