-- Bank statements are imported through the same pipeline (issue 17): a fifth kind, `payments`, and the
-- company's account (`money_accounts`) the statement is of. SQLite cannot change a CHECK constraint in
-- place, so the imports table is rebuilt as in 0027.
PRAGMA defer_foreign_keys = ON;

CREATE TABLE imports_new (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    kind          TEXT    NOT NULL CHECK (kind IN ('customers', 'contacts', 'counterparties', 'products', 'payments')),
    file_name     TEXT    NOT NULL,
    format        TEXT    NOT NULL CHECK (format IN ('csv', 'xlsx', 'xls')),
    encoding      TEXT,
    content       BLOB    NOT NULL,
    headers       TEXT    NOT NULL,
    mapping       TEXT    NOT NULL DEFAULT '[]',
    on_duplicate  TEXT    NOT NULL DEFAULT 'skip' CHECK (on_duplicate IN ('skip', 'update')),
    status        TEXT    NOT NULL CHECK (status IN ('uploaded', 'running', 'done', 'failed')),
    total_rows    INTEGER NOT NULL DEFAULT 0,
    processed     INTEGER NOT NULL DEFAULT 0,
    created       INTEGER NOT NULL DEFAULT 0,
    updated       INTEGER NOT NULL DEFAULT 0,
    skipped       INTEGER NOT NULL DEFAULT 0,
    failed        INTEGER NOT NULL DEFAULT 0,
    error         TEXT,
    heartbeat_at  INTEGER,
    created_at    INTEGER NOT NULL,
    finished_at   INTEGER,
    runner        TEXT,
    account_id    INTEGER REFERENCES money_accounts (id)
);
INSERT INTO imports_new SELECT id, user_id, kind, file_name, format, encoding, content, headers, mapping,
    on_duplicate, status, total_rows, processed, created, updated, skipped, failed, error, heartbeat_at,
    created_at, finished_at, runner, NULL FROM imports;
DROP TABLE imports;
ALTER TABLE imports_new RENAME TO imports;
CREATE INDEX imports_user ON imports (user_id, id);
CREATE INDEX imports_status ON imports (status, heartbeat_at);
