-- Customers 360, part 3: imports from CSV and Excel files, run in the background with progress.

-- One uploaded file and the run that imports it. The file is kept in the database so that any app server
-- can run (or, after a restart, resume) the import; processed counts rows committed, so a resumed run goes
-- on from there. heartbeat_at tells a stale run (its server gone) from a live one.
CREATE TABLE imports (
    id            INTEGER PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    kind          TEXT    NOT NULL CHECK (kind IN ('customers')),
    file_name     TEXT    NOT NULL,
    format        TEXT    NOT NULL CHECK (format IN ('csv', 'xlsx')),
    -- how a CSV file was read: utf-8 or windows-1251
    encoding      TEXT,
    content       BLOB    NOT NULL,
    -- JSON: the header row; the column -> field mapping
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
    finished_at   INTEGER
);
CREATE INDEX imports_user ON imports (user_id, id);
CREATE INDEX imports_status ON imports (status, heartbeat_at);

-- Rows that could not be imported: JSON [{field, code}] (translated when shown) and the row as read.
CREATE TABLE import_errors (
    import_id  INTEGER NOT NULL REFERENCES imports (id),
    row_no     INTEGER NOT NULL,
    errors     TEXT    NOT NULL,
    raw        TEXT    NOT NULL,
    PRIMARY KEY (import_id, row_no)
);

-- The mapping a user last chose for a file with these headers (lower-cased, joined), offered next time.
CREATE TABLE import_mappings (
    user_id    INTEGER NOT NULL REFERENCES users (id),
    kind       TEXT    NOT NULL,
    signature  TEXT    NOT NULL,
    mapping    TEXT    NOT NULL,
    PRIMARY KEY (user_id, kind, signature)
);
