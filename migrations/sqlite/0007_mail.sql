-- The built-in mail client: mailboxes (IMAP in, SMTP out), their folders' sync state, messages with their
-- attachments, and templates for writing to customers.

CREATE TABLE mailboxes (
    id              INTEGER PRIMARY KEY,
    -- NULL: a shared company address, which everyone who uses mail may read and send from.
    owner_id        INTEGER REFERENCES users (id),
    name            TEXT    NOT NULL,
    address         TEXT    NOT NULL,
    login           TEXT    NOT NULL,
    -- AES-256-GCM under the configured mail key: base64(nonce || ciphertext || tag).
    password_enc    TEXT    NOT NULL,
    imap_host       TEXT    NOT NULL,
    imap_port       INTEGER NOT NULL,
    imap_security   TEXT    NOT NULL CHECK (imap_security IN ('tls', 'starttls', 'none')),
    smtp_host       TEXT    NOT NULL,
    smtp_port       INTEGER NOT NULL,
    smtp_security   TEXT    NOT NULL CHECK (smtp_security IN ('tls', 'starttls', 'none')),
    -- new | ok | error (a sync in progress shows as locked_until in the future)
    status          TEXT    NOT NULL DEFAULT 'new',
    -- error code (connect | tls | auth | protocol | timeout) and the server's words
    last_error      TEXT,
    last_sync_at    INTEGER,
    sync_requested  BOOLEAN NOT NULL DEFAULT TRUE,
    -- The app server syncing it holds it until then (several servers never sync one mailbox at once).
    locked_until    INTEGER,
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX mailboxes_owner ON mailboxes (owner_id);

-- Where the sync of each folder stands: everything up to last_uid under uidvalidity is imported.
CREATE TABLE mail_folders (
    mailbox_id   INTEGER NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    role         TEXT    NOT NULL CHECK (role IN ('inbox', 'sent')),
    name         TEXT    NOT NULL,
    uidvalidity  INTEGER NOT NULL,
    last_uid     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (mailbox_id, role)
);

CREATE TABLE mail_messages (
    id              INTEGER PRIMARY KEY,
    mailbox_id      INTEGER NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
    folder          TEXT    NOT NULL CHECK (folder IN ('inbox', 'sent')),
    -- NULL until a message sent from Karvon is seen in the Sent folder.
    uidvalidity     INTEGER,
    uid             INTEGER,
    -- Message-ID without the angle brackets.
    message_id      TEXT,
    in_reply_to     TEXT,
    -- The first message of the thread known here (its own id when it starts one).
    thread_id       INTEGER,
    direction       TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
    from_addr       TEXT,
    from_name       TEXT,
    to_addrs        TEXT    NOT NULL DEFAULT '',
    cc_addrs        TEXT    NOT NULL DEFAULT '',
    subject         TEXT,
    sent_at         INTEGER NOT NULL,
    body_text       TEXT,
    -- Already sanitised (ammonia) when stored.
    body_html       TEXT,
    size            INTEGER NOT NULL,
    -- malformed | too_large: kept, with what could be read
    problem         TEXT,
    customer_id     INTEGER REFERENCES customers (id),
    contact_id      INTEGER REFERENCES contacts (id),
    interaction_id  INTEGER REFERENCES interactions (id),
    created_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX mail_messages_uid ON mail_messages (mailbox_id, folder, uidvalidity, uid);
CREATE INDEX mail_messages_message_id ON mail_messages (mailbox_id, message_id);
CREATE INDEX mail_messages_reply ON mail_messages (mailbox_id, in_reply_to);
CREATE INDEX mail_messages_thread ON mail_messages (thread_id, sent_at, id);
CREATE INDEX mail_messages_list ON mail_messages (mailbox_id, sent_at, id);
CREATE INDEX mail_messages_unsorted ON mail_messages (mailbox_id, sent_at, id) WHERE customer_id IS NULL;
CREATE INDEX mail_messages_customer ON mail_messages (customer_id, sent_at, id);

CREATE TABLE mail_attachments (
    id            INTEGER PRIMARY KEY,
    message_id    INTEGER NOT NULL REFERENCES mail_messages (id) ON DELETE CASCADE,
    file_name     TEXT    NOT NULL,
    content_type  TEXT    NOT NULL,
    size          INTEGER NOT NULL,
    -- NULL when over the size limit: the file stays on the mail server, its name and size show here.
    data          BLOB
);
CREATE INDEX mail_attachments_message ON mail_attachments (message_id, id);

CREATE TABLE mail_templates (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    created_by  INTEGER REFERENCES users (id),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX mail_templates_name ON mail_templates (name, id);

-- Messages are matched to customers by a contact person's e-mail or the customer's own.
CREATE INDEX contact_points_email ON contact_points (value) WHERE kind = 'email';
