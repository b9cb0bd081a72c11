-- Webhooks (issue 15): an administrator subscribes a URL to events. Every change of a customer, contact, deal,
-- task or interaction writes one row to webhook_outbox, by trigger, in the change's own transaction: no change
-- without its event and no event without its change, whatever path made it (screens, API, imports, merges),
-- and nothing is written while no subscription is active. A background job fans rows out to the matching
-- subscriptions (webhook_deliveries) and delivers them, retrying with backoff.

CREATE TABLE webhooks (
    id          INTEGER PRIMARY KEY,
    url         TEXT    NOT NULL,
    secret      TEXT    NOT NULL,
    -- Space-separated event names (`customer.created deal.won`), or `*` for all.
    events      TEXT    NOT NULL,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_by  BIGINT  REFERENCES users (id),
    created_at  BIGINT  NOT NULL
);

CREATE TABLE webhook_outbox (
    id          INTEGER PRIMARY KEY,
    event       TEXT    NOT NULL,
    entity_id   BIGINT  NOT NULL,
    at          BIGINT  NOT NULL,
    -- Set when fanned out to the subscriptions, with the JSON body every delivery of it sends.
    fanned      BOOLEAN NOT NULL DEFAULT FALSE,
    body        TEXT
);
CREATE INDEX webhook_outbox_pending ON webhook_outbox (id) WHERE NOT fanned;

CREATE TABLE webhook_deliveries (
    id          INTEGER PRIMARY KEY,
    webhook_id  BIGINT  NOT NULL REFERENCES webhooks (id),
    outbox_id   BIGINT  NOT NULL REFERENCES webhook_outbox (id),
    state       TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     BIGINT  NOT NULL,
    lease_until BIGINT,
    last_status INTEGER,
    last_error  TEXT,
    last_at     BIGINT,
    UNIQUE (webhook_id, outbox_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries (webhook_id, id);

CREATE TRIGGER customers_webhook_insert AFTER INSERT ON customers
WHEN EXISTS (SELECT 1 FROM webhooks WHERE active)
BEGIN
    INSERT INTO webhook_outbox (event, entity_id, at) VALUES ('customer.created', NEW.id, NEW.updated_at);
END;
CREATE TRIGGER customers_webhook_update AFTER UPDATE ON customers
WHEN NEW.version <> OLD.version AND EXISTS (SELECT 1 FROM webhooks WHERE active)
BEGIN
    INSERT INTO webhook_outbox (event, entity_id, at) VALUES ('customer.updated', NEW.id, NEW.updated_at);
END;
CREATE TRIGGER contacts_webhook_insert AFTER INSERT ON contacts
WHEN EXISTS (SELECT 1 FROM webhooks WHERE active)
BEGIN
    INSERT INTO webhook_outbox (event, entity_id, at) VALUES ('contact.created', NEW.id, NEW.updated_at);
END;
CREATE TRIGGER contacts_webhook_update AFTER UPDATE ON contacts
WHEN NEW.version <> OLD.version AND EXISTS (SELECT 1 FROM webhooks WHERE active)
BEGIN
    INSERT INTO webhook_outbox (event, entity_id, at) VALUES ('contact.updated', NEW.id, NEW.updated_at);
END;
CREATE TRIGGER deals_webhook_insert AFTER INSERT ON deals
WHEN EXISTS (SELECT 1 FROM webhooks WHERE active)
BEGIN
    INSERT INTO webhook_outbox (event, entity_id, at) VALUES ('deal.created', NEW.id, NEW.updated_at);
END;
CREATE TRIGGER deals_webhook_update AFTER UPDATE ON deals
WHEN NEW.version <> OLD.version AND EXISTS (SELECT 1 FROM webhooks WHERE active)
BEGIN
    INSERT INTO webhook_outbox (event, entity_id, at) VALUES (CASE
        WHEN NEW.status <> OLD.status AND NEW.status IN ('won', 'lost') THEN 'deal.' || NEW.status
        WHEN NEW.stage_id IS NOT OLD.stage_id THEN 'deal.stage_changed'
        ELSE 'deal.updated' END, NEW.id, NEW.updated_at);
END;
CREATE TRIGGER tasks_webhook_insert AFTER INSERT ON tasks
WHEN EXISTS (SELECT 1 FROM webhooks WHERE active)
BEGIN
    INSERT INTO webhook_outbox (event, entity_id, at) VALUES ('task.created', NEW.id, NEW.updated_at);
END;
CREATE TRIGGER tasks_webhook_update AFTER UPDATE ON tasks
WHEN NEW.version <> OLD.version AND EXISTS (SELECT 1 FROM webhooks WHERE active)
BEGIN
    INSERT INTO webhook_outbox (event, entity_id, at) VALUES ('task.updated', NEW.id, NEW.updated_at);
END;
CREATE TRIGGER interactions_webhook_insert AFTER INSERT ON interactions
WHEN EXISTS (SELECT 1 FROM webhooks WHERE active)
BEGIN
    INSERT INTO webhook_outbox (event, entity_id, at) VALUES ('interaction.created', NEW.id, NEW.updated_at);
END;
CREATE TRIGGER interactions_webhook_update AFTER UPDATE ON interactions
WHEN NEW.version <> OLD.version AND EXISTS (SELECT 1 FROM webhooks WHERE active)
BEGIN
    INSERT INTO webhook_outbox (event, entity_id, at) VALUES ('interaction.updated', NEW.id, NEW.updated_at);
END;
