-- Deals: pipelines of ordered stages (with rules), deals moving through them with their stage history, and the
-- reasons a deal is lost or demand went unmet. A starter pipeline, stages and reasons are named by `preset`
-- keys, shown in each reader's language until an administrator renames them.

CREATE TABLE pipelines (
    id           INTEGER PRIMARY KEY,
    name         TEXT,
    preset       TEXT,
    -- enforced: stages in order, none skipped; manual: any order; none: no stages, statuses only.
    mode         TEXT    NOT NULL CHECK (mode IN ('enforced', 'manual', 'none')),
    position     INTEGER NOT NULL DEFAULT 0,
    archived_at  INTEGER,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE pipeline_stages (
    id           INTEGER PRIMARY KEY,
    pipeline_id  INTEGER NOT NULL REFERENCES pipelines (id),
    name         TEXT,
    preset       TEXT,
    position     INTEGER NOT NULL,
    probability  INTEGER NOT NULL CHECK (probability BETWEEN 0 AND 100),
    -- JSON: {"required": [field…], "checklist": [item…], "tasks": [{"title", "due_days"}…]}
    rules        TEXT    NOT NULL DEFAULT '{}',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX pipeline_stages_pipeline ON pipeline_stages (pipeline_id, position);

CREATE TABLE deal_reasons (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('loss', 'unmet')),
    name        TEXT,
    preset      TEXT,
    position    INTEGER NOT NULL DEFAULT 0,
    retired_at  INTEGER,
    created_at  INTEGER NOT NULL
);

CREATE TABLE deals (
    id                INTEGER PRIMARY KEY,
    title             TEXT    NOT NULL,
    pipeline_id       INTEGER NOT NULL REFERENCES pipelines (id),
    -- NULL in a pipeline without stages.
    stage_id          INTEGER REFERENCES pipeline_stages (id),
    customer_id       INTEGER NOT NULL REFERENCES customers (id),
    counterparty_id   INTEGER REFERENCES counterparties (id),
    manager_id        INTEGER NOT NULL REFERENCES users (id),
    -- Hundredths of the currency's unit; NULL while unknown.
    amount            INTEGER,
    currency          TEXT    NOT NULL DEFAULT 'UZS',
    -- The local day it is expected to close (epoch ms of its start).
    expected_close    INTEGER,
    interest          TEXT,
    source            TEXT,
    status            TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'won', 'lost')),
    -- The stage it was lost at, why, and what demand went unmet.
    lost_stage_id     INTEGER REFERENCES pipeline_stages (id),
    loss_reason_id    INTEGER REFERENCES deal_reasons (id),
    unmet_reason_id   INTEGER REFERENCES deal_reasons (id),
    close_note        TEXT,
    closed_at         INTEGER,
    -- The furthest stage position reached (the funnel counts a deal at every stage up to it).
    max_position      INTEGER NOT NULL DEFAULT 0,
    stage_entered_at  INTEGER NOT NULL,
    -- JSON array of the current stage's checklist items ticked.
    checklist_done    TEXT    NOT NULL DEFAULT '[]',
    created_by        INTEGER NOT NULL REFERENCES users (id),
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX deals_board ON deals (pipeline_id, status, stage_id, updated_at);
CREATE INDEX deals_pipeline_created ON deals (pipeline_id, created_at);
-- The funnel's counts: how far deals got, how they closed, in which currency, grouped in index order.
CREATE INDEX deals_funnel ON deals (pipeline_id, max_position, status, currency, lost_stage_id, loss_reason_id, created_at, amount);
CREATE INDEX deals_manager ON deals (manager_id, status);
CREATE INDEX deals_customer ON deals (customer_id, id);

CREATE TABLE deal_contacts (
    deal_id     INTEGER NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
    contact_id  INTEGER NOT NULL REFERENCES contacts (id),
    role        TEXT,
    PRIMARY KEY (deal_id, contact_id)
);

-- One row per stay of a deal in a stage: entered, left (NULL while there). pipeline_id and deal_created_at
-- are copied from the deal so the funnel reads this table alone when no other filter applies.
CREATE TABLE deal_stage_history (
    id               INTEGER PRIMARY KEY,
    deal_id          INTEGER NOT NULL REFERENCES deals (id) ON DELETE CASCADE,
    pipeline_id      INTEGER NOT NULL,
    stage_id         INTEGER NOT NULL REFERENCES pipeline_stages (id),
    deal_created_at  INTEGER NOT NULL,
    entered_at       INTEGER NOT NULL,
    left_at          INTEGER,
    moved_by         INTEGER REFERENCES users (id)
);
CREATE INDEX deal_stage_history_deal ON deal_stage_history (deal_id, id);
-- The funnel's average stays: grouped by stage in index order, covering (no table reads, no sort).
CREATE INDEX deal_stage_history_funnel ON deal_stage_history (pipeline_id, stage_id, deal_created_at, entered_at, left_at);
CREATE INDEX deal_stage_history_stage ON deal_stage_history (stage_id);

CREATE INDEX interactions_deal ON interactions (deal_id, occurred_at, id) WHERE deal_id IS NOT NULL;
CREATE INDEX tasks_deal_open ON tasks (deal_id, due_at) WHERE deal_id IS NOT NULL AND done_at IS NULL;

INSERT INTO pipelines (id, preset, mode, position, created_at, updated_at) VALUES (1, 'sales', 'manual', 0, 0, 0);
INSERT INTO pipeline_stages (pipeline_id, preset, position, probability, rules, created_at, updated_at) VALUES
    (1, 'first_contact', 1, 10, '{}', 0, 0),
    (1, 'qualification', 2, 20, '{}', 0, 0),
    (1, 'proposal', 3, 40, '{"required":["amount"]}', 0, 0),
    (1, 'presentation', 4, 50, '{}', 0, 0),
    (1, 'terms', 5, 70, '{"required":["amount","expected_close"]}', 0, 0),
    (1, 'preparing_delivery', 6, 90, '{}', 0, 0),
    (1, 'delivery', 7, 100, '{}', 0, 0);
INSERT INTO deal_reasons (kind, preset, position, created_at) VALUES
    ('loss', 'price', 1, 0),
    ('loss', 'competitor', 2, 0),
    ('loss', 'no_budget', 3, 0),
    ('loss', 'no_response', 4, 0),
    ('loss', 'not_needed', 5, 0),
    ('unmet', 'out_of_stock', 1, 0),
    ('unmet', 'not_in_range', 2, 0),
    ('unmet', 'delivery_time', 3, 0);

-- The audit log records deals too: its entity check gains 'deal' (SQLite changes a check by rebuilding the
-- table; nothing references audit_log, so the copy is safe).
CREATE TABLE audit_log_new (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER REFERENCES customers (id),
    entity       TEXT    NOT NULL CHECK (entity IN ('customer', 'contact', 'counterparty', 'deal')),
    entity_id    INTEGER NOT NULL,
    action       TEXT    NOT NULL,
    changes      TEXT    NOT NULL,
    user_id      INTEGER REFERENCES users (id),
    at           INTEGER NOT NULL
);
INSERT INTO audit_log_new (id, customer_id, entity, entity_id, action, changes, user_id, at)
    SELECT id, customer_id, entity, entity_id, action, changes, user_id, at FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
CREATE INDEX audit_log_customer ON audit_log (customer_id, id);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);
