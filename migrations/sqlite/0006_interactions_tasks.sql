-- Interactions (meetings, calls, SMS, e-mail, notes) on the customer's timeline, their attachments, tasks with
-- reminders, in-app notifications and private calendar feeds.

CREATE TABLE interactions (
    id             INTEGER PRIMARY KEY,
    customer_id    INTEGER NOT NULL REFERENCES customers (id),
    contact_id     INTEGER REFERENCES contacts (id),
    -- The deals issue adds the foreign key.
    deal_id        INTEGER,
    kind           TEXT    NOT NULL CHECK (kind IN ('meeting', 'call', 'sms', 'email', 'note')),
    direction      TEXT    CHECK (direction IN ('in', 'out')),
    -- meeting: planned | held | cancelled; call: answered | missed; sms: queued | sent | delivered | failed
    -- | received; email: sent | received; note: done
    status         TEXT    NOT NULL,
    subject        TEXT,
    body           TEXT,
    place          TEXT,
    participants   TEXT,
    duration_secs  INTEGER,
    result         TEXT,
    -- When it happened, or is planned to (meetings).
    occurred_at    INTEGER NOT NULL,
    ends_at        INTEGER,
    author_id      INTEGER REFERENCES users (id),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX interactions_customer ON interactions (customer_id, occurred_at, id);
CREATE INDEX interactions_time ON interactions (occurred_at, id);
CREATE INDEX interactions_author ON interactions (author_id, occurred_at, id);
CREATE INDEX interactions_kind ON interactions (kind, occurred_at, id);
CREATE INDEX interactions_contact ON interactions (contact_id);

-- Files of interactions (and, later, of mail), kept in the database so that any app server can serve them.
CREATE TABLE attachments (
    id              INTEGER PRIMARY KEY,
    interaction_id  INTEGER REFERENCES interactions (id) ON DELETE CASCADE,
    file_name       TEXT    NOT NULL,
    content_type    TEXT    NOT NULL,
    size            INTEGER NOT NULL,
    data            BLOB    NOT NULL,
    created_by      INTEGER REFERENCES users (id),
    created_at      INTEGER NOT NULL
);
CREATE INDEX attachments_interaction ON attachments (interaction_id, id);

CREATE TABLE tasks (
    id           INTEGER PRIMARY KEY,
    title        TEXT    NOT NULL,
    notes        TEXT,
    due_at       INTEGER NOT NULL,
    assignee_id  INTEGER NOT NULL REFERENCES users (id),
    customer_id  INTEGER REFERENCES customers (id),
    contact_id   INTEGER REFERENCES contacts (id),
    deal_id      INTEGER,
    remind_at    INTEGER,
    -- Set in the transaction that creates the reminder's notification: a reminder fires once.
    reminded_at  INTEGER,
    done_at      INTEGER,
    created_by   INTEGER NOT NULL REFERENCES users (id),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX tasks_open ON tasks (assignee_id, due_at, id) WHERE done_at IS NULL;
CREATE INDEX tasks_assignee ON tasks (assignee_id, due_at, id);
CREATE INDEX tasks_due_reminders ON tasks (remind_at) WHERE reminded_at IS NULL AND done_at IS NULL;
CREATE INDEX tasks_customer ON tasks (customer_id, due_at);

CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    -- reminder | call
    kind        TEXT    NOT NULL,
    title       TEXT    NOT NULL,
    body        TEXT,
    link        TEXT,
    task_id     INTEGER REFERENCES tasks (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    read_at     INTEGER
);
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id, id) WHERE read_at IS NULL;

-- A user's private iCalendar feed: only the SHA-256 of the URL's token is kept; a new token revokes the old.
CREATE TABLE calendar_feeds (
    user_id     INTEGER PRIMARY KEY REFERENCES users (id),
    token_hash  TEXT    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL
);

-- Calls reported by the phone system (PBX): the extension that rang tells whose call it is.
ALTER TABLE users ADD COLUMN phone_ext TEXT;
CREATE UNIQUE INDEX users_phone_ext ON users (phone_ext);

CREATE TABLE calls (
    id               INTEGER PRIMARY KEY,
    pbx_call_id      TEXT    NOT NULL UNIQUE,
    direction        TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
    -- E.164 when it could be read as a phone number, else as the PBX sent it.
    external_number  TEXT    NOT NULL,
    ext              TEXT,
    user_id          INTEGER  REFERENCES users (id),
    customer_id      INTEGER  REFERENCES customers (id),
    state            TEXT    NOT NULL CHECK (state IN ('ringing', 'answered', 'ended')),
    started_at       INTEGER  NOT NULL,
    answered_at      INTEGER,
    ended_at         INTEGER,
    interaction_id   INTEGER  REFERENCES interactions (id)
);
CREATE INDEX calls_customer ON calls (customer_id);

-- Outgoing SMS through the gateway: queued, sent (the gateway took it), delivered or failed. A failed send is
-- retried with growing pauses (next_attempt_at) until it gives up.
CREATE TABLE sms_messages (
    id               INTEGER PRIMARY KEY,
    interaction_id   INTEGER NOT NULL REFERENCES interactions (id),
    phone            TEXT    NOT NULL,
    text             TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('queued', 'sent', 'delivered', 'failed')),
    provider_id      TEXT,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER,
    last_error       TEXT,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX sms_due ON sms_messages (next_attempt_at) WHERE status = 'queued';
CREATE INDEX sms_provider ON sms_messages (provider_id);
CREATE INDEX sms_interaction ON sms_messages (interaction_id);
